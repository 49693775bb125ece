import type { Percentiles, SessionSummary } from '@switchboard/events';
import type { Style } from '../../output/style.js';
import { formatDuration } from '../../render/item-lines.js';
import { costText } from '../../render/usage-text.js';

const count = (value: number) => value.toLocaleString('en-US');

function percentileText(label: string, p: Percentiles): string {
  if (p.count === 0) return `${label} –`;
  return `${label} p50 ${formatDuration(p.p50!)}, p95 ${formatDuration(p.p95!)} (${p.count})`;
}

/** A session summary (`summarize`) as a few readable lines. */
export function formatSummary(summary: SessionSummary, style: Style): string {
  const byTool = Object.entries(summary.toolCalls.byName)
    .map(([name, entry]) => {
      const statuses = Object.entries(entry.byStatus)
        .map(([status, n]) => `${n} ${status}`)
        .join(', ');
      return `${name} ×${entry.total} (${statuses})`;
    })
    .join('; ');
  const { tokens } = summary;
  const errors = Object.entries(summary.errors.byCode)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  const lines = [
    style.bold(
      `${summary.sessionId ?? '(no session)'}${summary.title ? ` — ${summary.title}` : ''}`,
    ),
    `  runs ${summary.runs} · turns ${summary.turns} · messages ${summary.messages.total} (${summary.messages.user} user, ${summary.messages.assistant} assistant)`,
    `  tool calls ${summary.toolCalls.total}${byTool ? `: ${byTool}` : ''}`,
    `  tokens ${count(tokens.total)} (${count(tokens.input)} in, ${count(tokens.output)} out, ${count(tokens.cached)} cached, ${count(tokens.reasoning)} reasoning)${summary.cost ? ` · cost ${costText(summary.cost)}` : ''}`,
    `  latency: ${percentileText('first token', summary.latency.timeToFirstTokenMs)} · ${percentileText('run', summary.latency.runDurationMs)}`,
    `  errors ${summary.errors.total}${errors ? `: ${errors}` : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}
