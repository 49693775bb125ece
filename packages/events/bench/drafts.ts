// The event stream every events bench case writes, and the hand-rolled
// stamping its baselines use (what a program without the library would do).
import type { AnyEvent, EventDraft } from '../src/index.js';

export const SESSION = 'ses_bench';
/** Events per run: each run is `run.started`, deltas and tool results, `run.finished`. */
const RUN_LENGTH = 1000;
/** Distinct drafts, cycled: a 1M-event stream without 1M draft objects in memory. */
const POOL = 10_000;

/**
 * A streamed agent run as the bus sees it: 90 % `message.delta`, 10 %
 * `tool_call.completed` with a small JSON output, framed by run boundaries
 * (which make the JSONL sink write at once, as a finished run does).
 */
function buildPool(): EventDraft[] {
  const drafts: EventDraft[] = [];
  for (let index = 0; index < POOL; index++) {
    const runId = `run_${Math.floor(index / RUN_LENGTH)}`;
    const position = index % RUN_LENGTH;
    const stepIndex = Math.floor(position / 100);
    // Plain literals, as producers write them (the agent's emit calls): drafts
    // of one kind share a hidden class. Spreading a shared `scope` object
    // instead gave every draft its own, which made every property read of a
    // draft megamorphic, an artifact no real producer has.
    if (position === 0) {
      drafts.push({
        type: 'run.started',
        sessionId: SESSION,
        runId,
        stepIndex,
        data: { trigger: 'user' },
      });
    } else if (position === RUN_LENGTH - 1) {
      drafts.push({
        type: 'run.finished',
        sessionId: SESSION,
        runId,
        stepIndex,
        data: { stopReason: 'completed', durationMs: 812 },
      });
    } else if (index % 10 === 9) {
      drafts.push({
        type: 'tool_call.completed',
        sessionId: SESSION,
        runId,
        stepIndex,
        data: {
          toolCallId: `call_${index}`,
          toolName: 'grep',
          status: 'completed',
          output: { hits: index % 7, path: `/src/file-${index}.ts` },
          durationMs: 12,
        },
      });
    } else {
      drafts.push({
        type: 'message.delta',
        sessionId: SESSION,
        runId,
        stepIndex,
        data: { messageId: `msg_${runId}`, delta: `token ${index} of the answer ` },
      });
    }
  }
  return drafts;
}

const pool = buildPool();

/** The `index`-th draft of the stream (drafts repeat every {@link POOL}; `seq` makes each event distinct). */
export const draftAt = (index: number): EventDraft => pool[index % POOL]!;

/** Types after which a JSONL writer writes its buffer at once (a run or session boundary). */
export const BOUNDARY_TYPES = new Set(['run.finished', 'run.failed', 'session.ended']);

/**
 * Numbers events by hand: `seq` from 1, `ts` never going backwards, the
 * envelope keys in the contract's order. The same object the bus builds, so
 * both sides serialise the same bytes.
 */
export function handStamper(): (draft: EventDraft) => AnyEvent {
  let seq = 0;
  let ts = 0;
  return (draft) => {
    const now = Date.now();
    if (now > ts) ts = now;
    const event: Record<string, unknown> = {
      v: 1,
      type: draft.type,
      seq: ++seq,
      ts,
      sessionId: draft.sessionId,
    };
    // Every optional envelope key the contract has, as the bus copies them:
    // a writer of this format must not drop them when a producer sets them.
    if (draft.runId !== undefined) event.runId = draft.runId;
    if (draft.stepIndex !== undefined) event.stepIndex = draft.stepIndex;
    if (draft.parentRunId !== undefined) event.parentRunId = draft.parentRunId;
    if (draft.traceparent !== undefined) event.traceparent = draft.traceparent;
    event.data = draft.data;
    if (draft.meta !== undefined) event.meta = draft.meta;
    return event as AnyEvent;
  };
}

/** Lets the event loop turn: a model stream delivers its chunks tick by tick. */
export const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
