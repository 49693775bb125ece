import { isSessionSampled } from '../payload/sampling.js';
import type { RunTrace } from './run-trace.js';
import type { TraceBuilderOptions } from './trace-builder-options.js';

/** What the plugin remembers of one session. */
export interface SessionTrace {
  sampled: boolean;
  /** Turns of the session so far (top-level runs); reset by `session.ended { reason: 'reset' }`. */
  turn: number;
  userId: string | undefined;
  agentName: string;
  runs: Map<string, RunTrace>;
  /** Tool names and inputs by call id; outlive a run, so a resumed run can trace an approved call. */
  calls: Map<string, { toolName: string; input?: unknown }>;
}

/**
 * The sessions a trace builder remembers, bounded by `maxSessions`: past it,
 * the least recently started session with no open run is forgotten, so a
 * long-lived server does not keep every session it ever saw. A session that
 * comes back afterwards counts its turns from 1 again.
 */
export class SessionTable {
  readonly #options: Pick<TraceBuilderOptions, 'maxSessions' | 'sampleRate' | 'userId'>;
  /** Map order is the eviction order (least recently used first). */
  readonly #sessions = new Map<string, SessionTrace>();

  constructor(options: Pick<TraceBuilderOptions, 'maxSessions' | 'sampleRate' | 'userId'>) {
    this.#options = options;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The session, created (with its sampling decision) on first sight. */
  get(sessionId: string): SessionTrace {
    let session = this.#sessions.get(sessionId);
    if (!session) {
      session = {
        sampled: isSessionSampled(sessionId, this.#options.sampleRate),
        turn: 0,
        userId: this.#options.userId,
        agentName: 'agent',
        runs: new Map(),
        calls: new Map(),
      };
      this.#sessions.set(sessionId, session);
      if (this.#sessions.size > this.#options.maxSessions) this.#evictIdle();
    }
    return session;
  }

  /** The session if it is remembered. */
  find(sessionId: string): SessionTrace | undefined {
    return this.#sessions.get(sessionId);
  }

  /** Marks a session as recently used. */
  touch(sessionId: string, session: SessionTrace): void {
    this.#sessions.delete(sessionId);
    this.#sessions.set(sessionId, session);
  }

  forget(sessionId: string): void {
    this.#sessions.delete(sessionId);
  }

  all(): IterableIterator<SessionTrace> {
    return this.#sessions.values();
  }

  #evictIdle(): void {
    for (const [sessionId, session] of this.#sessions) {
      if (session.runs.size === 0) {
        this.#sessions.delete(sessionId);
        return;
      }
    }
  }
}
