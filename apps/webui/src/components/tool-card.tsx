import { memo } from 'react';
import { AlertIcon, SpinnerIcon, ToolIcon } from './icons.js';
import type { PendingApproval, ToolCallItem } from '@switchboard/events/client';
import { formatDuration, formatValue, withoutHint } from '../lib/format.js';
import { ApprovalCard } from './approval-card.js';
import { useElapsed } from './reasoning-view.js';
import { StatusBadge } from './status-badge.js';

const STATUS_LABEL: Record<ToolCallItem['status'], string> = {
  streaming_args: 'preparing',
  ready: 'queued',
  awaiting_approval: 'needs approval',
  running: 'running',
  completed: 'done',
  failed: 'failed',
  denied: 'denied',
  cancelled: 'cancelled',
};

const LIVE = new Set<ToolCallItem['status']>(['streaming_args', 'ready', 'running']);

/**
 * A tool call: name and title, live status and duration, arguments, output or
 * error; an approval card while it waits for a decision.
 */
export const ToolCard = memo(function ToolCard(props: {
  call: ToolCallItem;
  approval?: PendingApproval | undefined;
}) {
  const { call, approval } = props;
  const live = LIVE.has(call.status);
  const elapsed = useElapsed(live ? call.startedAt : undefined);
  const duration = call.durationMs ?? elapsed;
  const args = call.input !== undefined ? formatValue(call.input) : call.argsText;
  const failed = call.status === 'failed' || call.error !== undefined;
  return (
    <article
      className={`tool tool--${call.status}`}
      data-tool-call-id={call.id}
      data-status={call.status}
      aria-label={`Tool call ${call.toolName}: ${STATUS_LABEL[call.status]}`}
    >
      <header className="tool__head">
        <span className="tool__icon" aria-hidden="true">
          {failed ? <AlertIcon /> : live ? <SpinnerIcon /> : <ToolIcon />}
        </span>
        <span className="tool__name">{call.toolName}</span>
        {call.title ? <span className="tool__title">{call.title}</span> : null}
        <span className="tool__meta">
          <StatusBadge status={call.status} label={STATUS_LABEL[call.status]} />
          {duration !== undefined ? (
            <span className="tool__duration">{formatDuration(duration)}</span>
          ) : null}
        </span>
      </header>
      {call.progress ? (
        <p className="tool__progress">
          {call.progress.message}
          {call.progress.total
            ? ` (${call.progress.current ?? 0}/${call.progress.total})`
            : call.progress.current !== undefined
              ? ` (${call.progress.current})`
              : ''}
        </p>
      ) : null}
      {approval ? <ApprovalCard approval={approval} /> : null}
      <details className="tool__section" open={call.status === 'awaiting_approval'}>
        <summary>Arguments</summary>
        <pre className="tool__pre">{args || '…'}</pre>
      </details>
      {call.error ? (
        <div className="tool__error" role="note">
          <strong>{call.error.code ?? 'Error'}</strong>:{' '}
          {withoutHint(call.error.message, call.error.hint)}
          {call.error.hint ? <p className="hint">{call.error.hint}</p> : null}
        </div>
      ) : null}
      {call.output !== undefined ? (
        <details className="tool__section">
          <summary>Output{call.truncated ? ' (truncated)' : ''}</summary>
          <pre className="tool__pre">{formatValue(call.output)}</pre>
        </details>
      ) : null}
      {call.approval && call.approval.status !== 'pending' ? (
        <p className="tool__decision">
          {call.approval.status === 'approved' ? 'Approved' : 'Denied'}
          {call.approval.automatic ? ' by policy' : ''}
          {call.approval.reason ? `: ${call.approval.reason}` : ''}
        </p>
      ) : null}
    </article>
  );
});
