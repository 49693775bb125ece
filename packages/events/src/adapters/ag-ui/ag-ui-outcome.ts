import type {
  Interrupt as AgUiInterrupt,
  RunFinishedOutcome,
  TokenUsage as AgUiTokenUsage,
} from '@ag-ui/core';
import type { EventData } from '../../schema/event-catalog.js';
import type { TokenUsage } from '../../schema/shared-schemas.js';

/**
 * AG-UI's outcome of a finished run: a paused run (`awaiting_input`) is an
 * `interrupt` naming what it waits for, so a client can answer with `resume`;
 * a cancelled or interrupted run is `cancelled`; every other stop is a success.
 */
export function outcomeOf(data: EventData<'run.finished'>): RunFinishedOutcome {
  if (data.stopReason === 'awaiting_input') {
    const interrupts = (data.interrupts ?? []).map((interrupt): AgUiInterrupt => ({
      id: interrupt.interruptId,
      reason: interrupt.reason,
      ...(interrupt.toolCallId ? { toolCallId: interrupt.toolCallId } : {}),
      ...(interrupt.message ? { message: interrupt.message } : {}),
      ...(interrupt.expiresAt ? { expiresAt: interrupt.expiresAt } : {}),
    }));
    if (interrupts.length > 0) return { type: 'interrupt', interrupts };
  }
  if (data.stopReason === 'cancelled' || data.stopReason === 'interrupted')
    return { type: 'cancelled' };
  return { type: 'success' };
}

/** The contract's token usage as AG-UI's (the fields AG-UI knows), or undefined when none is set. */
export function toAgUiUsage(usage: TokenUsage | undefined): AgUiTokenUsage | undefined {
  if (!usage) return undefined;
  const out: AgUiTokenUsage = {
    ...(usage.provider === undefined ? {} : { provider: usage.provider }),
    ...(usage.model === undefined ? {} : { model: usage.model }),
    ...(usage.inputTokens === undefined ? {} : { inputTokens: usage.inputTokens }),
    ...(usage.outputTokens === undefined ? {} : { outputTokens: usage.outputTokens }),
    ...(usage.totalTokens === undefined ? {} : { totalTokens: usage.totalTokens }),
    ...(usage.reasoningTokens === undefined ? {} : { reasoningTokens: usage.reasoningTokens }),
    ...(usage.cachedInputTokens === undefined
      ? {}
      : { cachedInputTokens: usage.cachedInputTokens }),
    ...(usage.cacheCreationInputTokens === undefined
      ? {}
      : { cacheWriteInputTokens: usage.cacheCreationInputTokens }),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}
