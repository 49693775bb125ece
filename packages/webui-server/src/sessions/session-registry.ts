import type { Agent, AgentSession } from '@switchboard/agent-core';
import type { AnyEvent } from '@switchboard/events';
import type { AgentFeatures } from './agent-features.js';

/**
 * The session handles this server holds. agent-core allows one open handle
 * per session in a process (the writer lease), so every route goes through
 * here: a session is loaded once, concurrent requests share the load, and
 * the handle stays open for later requests and runs.
 */
export class SessionRegistry {
  readonly #agent: Agent;
  readonly #features: AgentFeatures;
  readonly #open = new Map<string, AgentSession>();
  readonly #loading = new Map<string, Promise<AgentSession>>();

  constructor(options: { agent: Agent; features: AgentFeatures }) {
    this.#agent = options.agent;
    this.#features = options.features;
  }

  /** Creates a session and keeps its handle. */
  async create(input: { title?: string; model?: string }): Promise<AgentSession> {
    const session = await this.#features.createSession(input);
    this.#open.set(session.id, session);
    return session;
  }

  /**
   * Creates a session from another session's events (agent-core's
   * `importSession`: re-stamped into a new session, transcript and title
   * rebuilt) and keeps its handle.
   */
  async import(events: readonly AnyEvent[]): Promise<AgentSession> {
    const session = await this.#agent.importSession(events);
    this.#open.set(session.id, session);
    return session;
  }

  /**
   * The open handle of a session, loading it on first use (a run cut off by
   * a crash ends `interrupted` then). Unknown ids reject with
   * `CORE_SESSION_NOT_FOUND`; a session held by another process with
   * `CORE_SESSION_LOCKED`.
   */
  get(sessionId: string): Promise<AgentSession> {
    const open = this.#open.get(sessionId);
    if (open && open.status !== 'closed') return Promise.resolve(open);
    let loading = this.#loading.get(sessionId);
    if (!loading) {
      loading = this.#agent.loadSession(sessionId).then(
        (session) => {
          this.#loading.delete(sessionId);
          this.#open.set(sessionId, session);
          return session;
        },
        (error: unknown) => {
          this.#loading.delete(sessionId);
          throw error;
        },
      );
      this.#loading.set(sessionId, loading);
    }
    return loading;
  }

  /**
   * The id of a session whose events may be streamed from here: one this
   * server holds (or can load), or one another instance holds
   * (`CORE_SESSION_LOCKED`): with a shared event log every instance reads
   * and follows it, so a client may stream from any instance while another
   * one runs the session. Unknown ids still reject.
   */
  async streamable(sessionId: string): Promise<string> {
    try {
      return (await this.get(sessionId)).id;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'CORE_SESSION_LOCKED') return sessionId;
      throw error;
    }
  }

  /** Deletes a session for good: its handle, stored snapshot and logged events. */
  async delete(sessionId: string): Promise<void> {
    await this.#loading.get(sessionId)?.catch(() => undefined);
    this.#open.delete(sessionId);
    await this.#agent.deleteSession(sessionId);
  }

  /** Handles currently open. */
  openSessions(): AgentSession[] {
    return [...this.#open.values()].filter((session) => session.status !== 'closed');
  }
}
