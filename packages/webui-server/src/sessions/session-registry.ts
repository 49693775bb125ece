import type { Agent, AgentSession } from '@switchboard/agent-core';
import type { AnyEvent } from '@switchboard/events';
import type { AgentFeatures } from './agent-features.js';
import { lastRunInLog, runStartedSince } from './run-in-log.js';

/** How long past `idleReleaseMs` a request waits for another instance to give an idle session up. */
const HANDOVER_MARGIN_MS = 5_000;
/** How often the lease is tried again meanwhile. */
const HANDOVER_POLL_MS = 100;

function isLocked(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'CORE_SESSION_LOCKED';
}

/**
 * The session handles this server holds. agent-core allows one open handle
 * per session in a process (the writer lease), so every route goes through
 * here: a session is loaded once, concurrent requests share the load, and
 * the handle stays open for later requests and runs.
 *
 * With `idleReleaseMs` (instances sharing a database) a handle gives its
 * lease up that long after its last use once no run is active, so the next
 * request for the session may go to any instance. The handle stays cached:
 * its next use takes the lease back, and when another instance wrote the
 * session meanwhile it is loaded fresh (snapshot and event head) instead.
 */
export class SessionRegistry {
  readonly #agent: Agent;
  readonly #features: AgentFeatures;
  readonly #open = new Map<string, AgentSession>();
  readonly #loading = new Map<string, Promise<AgentSession>>();
  readonly #idleReleaseMs: number | undefined;
  /** sessionId → when a request last got its handle (ms). */
  readonly #lastUsed = new Map<string, number>();
  readonly #releaseTimers = new Map<string, NodeJS.Timeout>();
  readonly #stopListening: () => void;

  constructor(options: { agent: Agent; features: AgentFeatures; idleReleaseMs?: number }) {
    this.#agent = options.agent;
    this.#features = options.features;
    this.#idleReleaseMs = options.idleReleaseMs;
    const ended = (event: AnyEvent): void => {
      if (event.parentRunId === undefined) this.#releaseLater(event.sessionId);
    };
    const stops =
      this.#idleReleaseMs === undefined
        ? []
        : [this.#agent.bus.on('run.finished', ended), this.#agent.bus.on('run.failed', ended)];
    this.#stopListening = () => {
      for (const stop of stops) stop();
    };
  }

  /** Creates a session and keeps its handle. */
  async create(input: { title?: string; model?: string }): Promise<AgentSession> {
    const session = await this.#features.createSession(input);
    this.#keep(session);
    return session;
  }

  /**
   * Creates a session from another session's events (agent-core's
   * `importSession`: re-stamped into a new session, transcript and title
   * rebuilt) and keeps its handle.
   */
  async import(events: readonly AnyEvent[]): Promise<AgentSession> {
    const session = await this.#agent.importSession(events);
    this.#keep(session);
    return session;
  }

  /**
   * The open handle of a session, loading it on first use (a run cut off by
   * a crash ends `interrupted` then). Unknown ids reject with
   * `CORE_SESSION_NOT_FOUND`; a session held by another process with
   * `CORE_SESSION_LOCKED`.
   */
  get(sessionId: string): Promise<AgentSession> {
    this.#releaseLater(sessionId);
    const open = this.#open.get(sessionId);
    if (open && open.status !== 'closed' && !open.released) return Promise.resolve(open);
    let loading = this.#loading.get(sessionId);
    if (!loading) {
      loading = this.#acquire(sessionId, open).then(
        (session) => {
          this.#loading.delete(sessionId);
          this.#keep(session);
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
   * The cached handle with its lease taken back, else the session loaded
   * fresh. With idle release, a session another instance holds while no run
   * of it is going (its last run just ended: that instance is finishing up
   * and gives the lease up within `idleReleaseMs`) is waited for, up to
   * that long plus {@link HANDOVER_MARGIN_MS}; a run going on, or one
   * starting meanwhile, refuses at once (`CORE_SESSION_LOCKED`): one run
   * per session across all instances.
   */
  async #acquire(sessionId: string, cached: AgentSession | undefined): Promise<AgentSession> {
    const grace = this.#idleReleaseMs;
    const deadline = Date.now() + (grace ?? 0) + HANDOVER_MARGIN_MS;
    let seenHead: number | undefined;
    for (;;) {
      try {
        if (cached && cached.status !== 'closed' && (await cached.reacquire())) return cached;
        return await this.#agent.loadSession(sessionId);
      } catch (error) {
        const log = this.#agent.bus.log;
        if (!isLocked(error) || grace === undefined || !log || Date.now() >= deadline) throw error;
        if (seenHead === undefined) {
          const last = await lastRunInLog(log, sessionId);
          if (last.running) throw error;
          seenHead = last.head;
        } else if (await runStartedSince(log, sessionId, seenHead)) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, HANDOVER_POLL_MS));
      }
    }
  }

  #keep(session: AgentSession): void {
    this.#open.set(session.id, session);
    this.#releaseLater(session.id);
  }

  /**
   * Gives the session's lease up once it has not been used for
   * `idleReleaseMs` (checked again when the timer fires: a request in
   * between postpones it) and no run is active (a run's end calls this again).
   */
  #releaseLater(sessionId: string): void {
    const grace = this.#idleReleaseMs;
    if (grace === undefined) return;
    this.#lastUsed.set(sessionId, Date.now());
    if (this.#releaseTimers.has(sessionId)) return;
    const fire = (): void => {
      const idleFor = Date.now() - (this.#lastUsed.get(sessionId) ?? 0);
      if (idleFor < grace) {
        this.#releaseTimers.set(sessionId, setTimeout(fire, grace - idleFor).unref());
        return;
      }
      this.#releaseTimers.delete(sessionId);
      this.#lastUsed.delete(sessionId);
      const session = this.#open.get(sessionId);
      if (!session || session.status === 'closed' || this.#loading.has(sessionId)) return;
      // A failed release keeps the lease; the session is still served from here.
      session.release().catch(() => undefined);
    };
    this.#releaseTimers.set(sessionId, setTimeout(fire, grace).unref());
  }

  /**
   * The id of a session whose events may be streamed from here: one this
   * server holds (or can load), or one another instance holds
   * (`CORE_SESSION_LOCKED`): with a shared event log every instance reads
   * and follows it, so a client may stream from any instance while another
   * one runs the session. Unknown ids still reject.
   */
  async streamable(sessionId: string): Promise<string> {
    const log = this.#agent.bus.log;
    if (this.#idleReleaseMs !== undefined && log) {
      // Sessions move between instances: streaming one takes no lease, its events are in the log.
      if ((await log.head(sessionId)).seq > 0) return sessionId;
    }
    try {
      return (await this.get(sessionId)).id;
    } catch (error) {
      if (isLocked(error)) return sessionId;
      throw error;
    }
  }

  /** Deletes a session for good: its handle, stored snapshot and logged events. */
  async delete(sessionId: string): Promise<void> {
    await this.#loading.get(sessionId)?.catch(() => undefined);
    this.#open.delete(sessionId);
    this.#forgetTimer(sessionId);
    await this.#agent.deleteSession(sessionId);
  }

  /**
   * The server is closing: stops the idle-release timers and, with
   * `idleReleaseMs`, gives every idle session's lease up at once (runs are
   * over by now), so another instance takes them without waiting for the
   * lease to run out.
   */
  async close(): Promise<void> {
    this.#stopListening();
    for (const sessionId of [...this.#releaseTimers.keys()]) this.#forgetTimer(sessionId);
    if (this.#idleReleaseMs === undefined) return;
    await Promise.all(this.openSessions().map((session) => session.release().catch(() => false)));
  }

  #forgetTimer(sessionId: string): void {
    clearTimeout(this.#releaseTimers.get(sessionId));
    this.#releaseTimers.delete(sessionId);
    this.#lastUsed.delete(sessionId);
  }

  /** Handles currently open. */
  openSessions(): AgentSession[] {
    return [...this.#open.values()].filter((session) => session.status !== 'closed');
  }
}
