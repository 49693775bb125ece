import type { AnyEvent, EventBus, StopReason, TokenUsage } from '@switchboard/events';
import type { AgentCoreError } from '../errors/agent-core-error.js';
import type { PendingRequest } from '../sessions/session-snapshot.js';

/** How a run ended. */
export interface RunResult {
  runId: string;
  /** `failed` when the run ended on an error (see `error`). */
  stopReason: StopReason | 'failed';
  /** The final assistant text of the run (partial when cancelled). */
  text: string;
  usage: TokenUsage;
  costUsd?: number;
  /** Requests waiting for `respond()` when `stopReason` is `awaiting_input`. */
  pending: PendingRequest[];
  error?: AgentCoreError;
  /** Set when the run handed the conversation to another agent, which continues in run `runId`. */
  handoffTo?: { agentName: string; runId: string };
}

/**
 * A started run: iterate it for its events (and those of its sub-agent runs),
 * await `result` for the outcome. Iterating is optional; the run proceeds
 * either way, and it is never cancelled by a consumer that stops reading.
 */
export interface RunHandle extends AsyncIterable<AnyEvent> {
  readonly runId: string;
  readonly result: Promise<RunResult>;
  /** Cancels this run (same as `session.cancel()` while it is the active run). */
  cancel(reason?: string): void;
  /**
   * Lets a preemptive run (`RunOptions.preemptive`) run its tools and finish;
   * a no-op for any other run.
   */
  confirm(): void;
  /**
   * Ends the run leaving nothing in the transcript, its user message included
   * (`run.finished { stopReason: 'cancelled', withdrawn: true }`): a voice
   * preemptive generation the user spoke past. False when the run already
   * ended (a preemptive run cannot end before it is confirmed).
   */
  withdraw(): boolean;
}

/**
 * Collects a run's events from the bus from the moment it is created, so a
 * consumer that starts iterating late still sees every event from
 * `run.started` on. The buffer is bounded by the run's own length.
 */
export function createRunHandle(options: {
  bus: EventBus;
  runId: string;
  result: Promise<RunResult>;
  cancel: (reason?: string) => void;
  confirm?: () => void;
  withdraw?: () => boolean;
}): RunHandle {
  const { bus, runId } = options;
  const runs = new Set([runId]);
  const buffer: AnyEvent[] = [];
  let finished = false;
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of waiters) wake();
    waiters.clear();
  };
  const unsubscribe = bus.on('*', (event) => {
    if (event.runId === undefined) return;
    if (
      event.type === 'run.started' &&
      event.parentRunId !== undefined &&
      runs.has(event.parentRunId)
    ) {
      runs.add(event.runId);
    }
    if (!runs.has(event.runId)) return;
    buffer.push(event);
    if (event.runId === runId && (event.type === 'run.finished' || event.type === 'run.failed')) {
      finished = true;
      unsubscribe();
    }
    wakeAll();
  });
  // If the run dies before emitting its terminal event, stop waiting once the bus has delivered everything.
  void options.result.finally(async () => {
    await bus.flush();
    if (!finished) {
      finished = true;
      unsubscribe();
      wakeAll();
    }
  });
  return {
    runId,
    result: options.result,
    cancel: options.cancel,
    confirm: options.confirm ?? (() => {}),
    withdraw: options.withdraw ?? (() => false),
    async *[Symbol.asyncIterator]() {
      let index = 0;
      for (;;) {
        while (index < buffer.length) yield buffer[index++]!;
        if (finished) return;
        await new Promise<void>((resolve) => waiters.add(resolve));
      }
    },
  };
}
