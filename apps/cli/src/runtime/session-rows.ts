import type { StoredSessionInfo } from '@switchboard/agent-core';
import type { Style } from '../output/style.js';

/**
 * `ses_…  2026-12-01 06:48:20  idle  4 msgs  $0.0012  Weather in Paris`: a
 * stored session as lists show it, from the store's listing (title, status,
 * message count, cost; no transcript read).
 */
export function formatSessionRow(row: StoredSessionInfo, style: Style): string {
  const updated = new Date(row.updatedAt).toISOString().replace('T', ' ').slice(0, 19);
  const title = (row.title ?? '').replace(/\s+/g, ' ').trim();
  const shown = title.length > 60 ? `${title.slice(0, 59)}…` : title;
  const cost =
    row.costUsd === undefined
      ? ''
      : `  $${row.costUsd < 0.01 ? row.costUsd.toFixed(4) : row.costUsd.toFixed(2)}`;
  const status = row.status === 'awaiting_input' ? style.yellow(row.status) : style.dim(row.status);
  return `${style.bold(row.sessionId)}  ${style.dim(updated)}  ${status}  ${style.dim(`${row.messageCount} msgs${cost}`)}  ${shown}`.trimEnd();
}
