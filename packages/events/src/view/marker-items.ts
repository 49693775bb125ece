import type { AgentEvent } from '../schema/agent-event.js';
import type { CompactionItem, HandoffItem } from './session-view.js';
import { withoutUndefined } from './view-helpers.js';

// Markers: timeline rows that are not conversation but change how it reads
// (the model no longer sees older turns; another agent answers from here on).

/** The marker of a `context.compacted` event (its scope is stamped by the reducer). */
export function compactionItem(event: AgentEvent<'context.compacted'>): CompactionItem {
  const data = event.data;
  return withoutUndefined({
    kind: 'compaction',
    id: data.compactionId,
    strategy: data.strategy,
    archivedMessages: data.archivedMessages,
    tokensBefore: data.tokensBefore,
    tokensAfter: data.tokensAfter,
    estimated: data.estimated === true ? true : undefined,
    startedAt: 0,
  });
}

/** The marker of an `agent.handoff` event (its scope is stamped by the reducer). */
export function handoffItem(event: AgentEvent<'agent.handoff'>): HandoffItem {
  const data = event.data;
  return withoutUndefined({
    kind: 'handoff',
    fromAgent: data.fromAgent,
    toAgent: data.toAgent,
    reason: data.reason,
    summary: data.summary,
    toRunId: data.toRunId,
    startedAt: 0,
  });
}

/**
 * One line for a compaction marker, the same on every text surface:
 * `Context compacted (summarise): 12 messages, 104,000 → 9,000 tokens (estimated)`.
 */
export function compactionLine(item: CompactionItem): string {
  const messages = `${item.archivedMessages} message${item.archivedMessages === 1 ? '' : 's'}`;
  const tokens = `${formatCount(item.tokensBefore)} → ${formatCount(item.tokensAfter)} tokens`;
  return `Context compacted (${item.strategy}): ${messages}, ${tokens}${item.estimated ? ' (estimated)' : ''}`;
}

/** One line for a handoff marker: `Handed off from triage to billing: refund request`. */
export function handoffLine(item: HandoffItem): string {
  return `Handed off from ${item.fromAgent} to ${item.toAgent}${item.reason ? `: ${item.reason}` : ''}`;
}

/** `104000` → `104,000`, the same in every locale (a transcript must not depend on one). */
function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
