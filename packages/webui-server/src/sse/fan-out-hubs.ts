import type { EventLog } from '@switchboard/events';
import { SessionFanOut, type FanOutMember } from './session-fan-out.js';

/**
 * The {@link SessionFanOut}s of one event log, one per watched session: made
 * when a session's first watcher arrives, dropped when its last one leaves.
 */
export class FanOutHubs {
  readonly #log: EventLog;
  readonly #hubs = new Map<string, SessionFanOut>();

  constructor(log: EventLog) {
    this.#log = log;
  }

  /** Attaches `member` to the session's fan-out (made if needed) and returns it. */
  attach(sessionId: string, member: FanOutMember): SessionFanOut {
    let hub = this.#hubs.get(sessionId);
    if (!hub) {
      const made: SessionFanOut = new SessionFanOut({
        log: this.#log,
        sessionId,
        onIdle: () => {
          if (this.#hubs.get(sessionId) === made) this.#hubs.delete(sessionId);
        },
      });
      hub = made;
      this.#hubs.set(sessionId, hub);
    }
    hub.add(member);
    return hub;
  }

  /** The session's fan-out, while it has watchers. */
  get(sessionId: string): SessionFanOut | undefined {
    return this.#hubs.get(sessionId);
  }

  /** How many sessions have a fan-out (each holds one log subscription). */
  get size(): number {
    return this.#hubs.size;
  }
}
