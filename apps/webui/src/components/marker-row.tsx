import type { CompactionItem, HandoffItem } from '@switchboard/events/client';
import { formatTokens } from '../lib/format.js';

/**
 * A compaction marker: from here on the model sees a summary of the turns
 * above, not the turns themselves. The rows stay (nothing is hidden), so the
 * reader needs to know where the cut is.
 */
export function CompactionMarker({ item }: { item: CompactionItem }) {
  const messages = `${item.archivedMessages} message${item.archivedMessages === 1 ? '' : 's'}`;
  const tokens = `${formatTokens(item.tokensBefore)} → ${formatTokens(item.tokensAfter)} tokens`;
  return (
    <div
      className="marker marker--compaction"
      role="note"
      data-compaction-id={item.id}
      title={`Strategy: ${item.strategy}${item.estimated ? ' (token counts estimated)' : ''}`}
    >
      <span className="marker__label">
        <strong>Context compacted</strong> · {messages} summarised · {tokens}
        {item.estimated ? ' (est.)' : ''}
      </span>
    </div>
  );
}

/** A handoff marker: another agent answers from here on; its reason and summary on demand. */
export function HandoffMarker({ item }: { item: HandoffItem }) {
  return (
    <div className="marker marker--handoff" role="note" data-to-agent={item.toAgent}>
      <span className="marker__label">
        <strong>Handed off</strong> from {item.fromAgent} to <strong>{item.toAgent}</strong>
        {item.reason ? ` · ${item.reason}` : ''}
      </span>
      {item.summary ? (
        <details className="marker__summary">
          <summary>What {item.toAgent} was told</summary>
          <p>{item.summary}</p>
        </details>
      ) : null}
    </div>
  );
}
