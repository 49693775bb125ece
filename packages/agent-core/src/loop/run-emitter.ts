import type { AgentEvent, DraftData, EventBus, EventDraft, EventType } from '@switchboard/events';

/** Emits one run's events with its scope (session, run, step, parent run) filled in. */
export class RunEmitter {
  readonly #bus: EventBus;
  readonly sessionId: string;
  readonly runId: string;
  readonly parentRunId: string | undefined;
  /** The step events are currently attributed to. */
  stepIndex: number | undefined;

  constructor(bus: EventBus, scope: { sessionId: string; runId: string; parentRunId?: string }) {
    this.#bus = bus;
    this.sessionId = scope.sessionId;
    this.runId = scope.runId;
    this.parentRunId = scope.parentRunId;
  }

  emit<T extends EventType>(type: T, data: DraftData<T>): AgentEvent<T> {
    const draft = {
      type,
      sessionId: this.sessionId,
      runId: this.runId,
      ...(this.stepIndex === undefined ? {} : { stepIndex: this.stepIndex }),
      ...(this.parentRunId === undefined ? {} : { parentRunId: this.parentRunId }),
      data,
    } as EventDraft<T>;
    return this.#bus.emit(draft);
  }
}
