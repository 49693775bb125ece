import { memo, useEffect, useState } from 'react';
import type { ReasoningItem } from '@switchboard/events/client';
import { formatDuration } from '../lib/format.js';

/** A reasoning block, collapsed to one line that says for how long the model thought. */
export const ReasoningView = memo(function ReasoningView({ item }: { item: ReasoningItem }) {
  const streaming = item.status === 'streaming';
  const elapsed = useElapsed(streaming ? item.startedAt : undefined);
  const label = streaming
    ? `Thinking… ${elapsed === undefined ? '' : formatDuration(elapsed)}`
    : item.redacted
      ? 'Reasoning (redacted by the provider)'
      : item.durationMs !== undefined
        ? `Thought for ${formatDuration(item.durationMs)}`
        : `Reasoning (${item.status})`;
  return (
    <details className="reasoning" data-status={item.status}>
      <summary>
        <span className={streaming ? 'pulse' : undefined}>{label}</span>
      </summary>
      <div className="reasoning__text">{item.text || '…'}</div>
    </details>
  );
});

/** Milliseconds since `since`, ticking once a second; undefined when not counting. */
export function useElapsed(since: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === undefined || since <= 0 ? undefined : Math.max(0, now - since);
}
