// The events both sides of every case write: a streamed run (90 % message
// deltas, 10 % tool results with a small JSON output), as the events bench uses.
import type { EventDraft } from '@switchboard/events';

/** The `i`-th draft of a run in session `sessionId`. */
export function draftAt(sessionId: string, index: number): EventDraft {
  const runId = `run_${Math.floor(index / 1000)}`;
  if (index % 10 === 9)
    return {
      type: 'tool_call.completed',
      sessionId,
      runId,
      data: {
        toolCallId: `call_${index}`,
        toolName: 'grep',
        status: 'completed',
        output: { hits: index % 7, path: `/src/file-${index}.ts` },
        durationMs: 12,
      },
    };
  return {
    type: 'message.delta',
    sessionId,
    runId,
    data: { messageId: `msg_${runId}`, delta: `token ${index} of the answer ` },
  };
}

/** Wall-clock time in ms with sub-ms precision, comparable across processes of this machine. */
export const wallNow = () => performance.timeOrigin + performance.now();
