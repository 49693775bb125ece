import { EventType, type AGUIEvent } from '@ag-ui/core';

/** Namespace of the events and metadata this adapter adds (`CUSTOM` names, `metadata` key). */
export const AG_UI_NAMESPACE = 'switchboard';

/** What every AG-UI event of this adapter carries: the source event's time and position. */
export interface AgUiStamp {
  timestamp: number;
  metadata: { [AG_UI_NAMESPACE]: { seq: number; ts: number } };
}

/** The stamp of an output made from the event at `seq`/`ts`. */
export function stampOf(event: { seq: number; ts: number }): AgUiStamp {
  return {
    timestamp: event.ts,
    metadata: { [AG_UI_NAMESPACE]: { seq: event.seq, ts: event.ts } },
  };
}

/**
 * One AG-UI run in progress and what is open in it. AG-UI requires every
 * text message, reasoning block, tool call and step to be closed before
 * RUN_FINISHED (its client verifier rejects the run otherwise), so the run
 * remembers them until they end or the run does.
 */
export class AgUiRun {
  readonly messages = new Set<string>();
  readonly reasoning = new Set<string>();
  readonly toolCalls = new Set<string>();
  /** Tool calls whose arguments streamed as TOOL_CALL_ARGS; the others get theirs at `ready`. */
  readonly argsStreamed = new Set<string>();
  readonly steps = new Set<number>();

  constructor(readonly runId: string) {}

  /** Ends whatever is still open (a run ended or cut mid-stream), in AG-UI's nesting order. */
  closeAll(stamp: AgUiStamp): AGUIEvent[] {
    const out: AGUIEvent[] = [];
    for (const messageId of this.messages)
      out.push({ type: EventType.TEXT_MESSAGE_END, messageId, ...stamp });
    for (const messageId of this.reasoning) {
      out.push(
        { type: EventType.REASONING_MESSAGE_END, messageId, ...stamp },
        { type: EventType.REASONING_END, messageId, ...stamp },
      );
    }
    for (const toolCallId of this.toolCalls)
      out.push({ type: EventType.TOOL_CALL_END, toolCallId, ...stamp });
    for (const stepIndex of this.steps)
      out.push({ type: EventType.STEP_FINISHED, stepName: stepName(stepIndex), ...stamp });
    this.messages.clear();
    this.reasoning.clear();
    this.toolCalls.clear();
    this.argsStreamed.clear();
    this.steps.clear();
    return out;
  }
}

/** The AG-UI step name of a contract step. */
export function stepName(stepIndex: number): string {
  return `step-${stepIndex}`;
}
