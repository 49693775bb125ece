import { memo } from 'react';
import type { SessionView, TurnUsage } from '@switchboard/events/client';
import { formatCost, formatDuration, formatTokens } from '../lib/format.js';

/** Bars drawn: the latest turns (older ones are in the session total). */
export const CHART_TURNS = 24;
const BAR = 6;
const GAP = 2;
const HEIGHT = 22;

/** `Turn 3: 1.4k in · 167 out · $0.0002 · 1.8 s`, the words of a bar and of a table row. */
export function turnSummary(turn: TurnUsage, number: number): string {
  const parts = [
    `${formatTokens(turn.usage.inputTokens)} in`,
    `${formatTokens(turn.usage.outputTokens)} out`,
  ];
  if (turn.usage.cost) parts.push(formatCost(turn.usage.cost));
  if (turn.durationMs !== undefined) parts.push(formatDuration(turn.durationMs));
  const state =
    turn.status === 'running' ? ' (running)' : turn.status === 'failed' ? ' (failed)' : '';
  return `Turn ${number}${state}: ${parts.join(' · ')}`;
}

/**
 * A small bar chart of tokens per turn (input below, output on top), drawn as
 * SVG: no chart library for two dozen rectangles. Opening it lists each turn's
 * tokens, cost and duration.
 */
// memo: `view.turns` changes when a turn starts, counts a model call or ends, not per delta.
export const TurnUsageChart = memo(function TurnUsageChart({
  turns,
}: {
  turns: SessionView['turns'];
}) {
  const first = Math.max(0, turns.size - CHART_TURNS);
  const shown: { turn: TurnUsage; number: number }[] = [];
  for (let index = first; index < turns.size; index++)
    shown.push({ turn: turns.get(index)!, number: index + 1 });
  if (shown.length === 0) return null;
  const peak = Math.max(
    1,
    ...shown.map(({ turn }) => turn.usage.inputTokens + turn.usage.outputTokens),
  );
  const scale = (tokens: number) => (tokens / peak) * HEIGHT;
  const width = shown.length * (BAR + GAP) - GAP;
  return (
    <details className="turn-chart">
      <summary title="Tokens per turn">
        <svg
          className="turn-chart__svg"
          width={width}
          height={HEIGHT}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          role="img"
          aria-label={`Tokens per turn, last ${shown.length}`}
        >
          {shown.map(({ turn, number }, index) => {
            const input = scale(turn.usage.inputTokens);
            const output = scale(turn.usage.outputTokens);
            const x = index * (BAR + GAP);
            return (
              <g key={turn.runId} className={`turn-chart__bar turn-chart__bar--${turn.status}`}>
                <title>{turnSummary(turn, number)}</title>
                {/* A turn without tokens still gets a sliver, so it is visibly there. */}
                <rect
                  className="turn-chart__in"
                  x={x}
                  y={HEIGHT - input}
                  width={BAR}
                  height={Math.max(input, 1)}
                />
                <rect
                  className="turn-chart__out"
                  x={x}
                  y={HEIGHT - input - output}
                  width={BAR}
                  height={output}
                />
              </g>
            );
          })}
        </svg>
        <span className="turn-chart__label">Turns</span>
      </summary>
      <div className="turn-chart__panel">
        <table className="turn-chart__table">
          <caption>Usage per turn</caption>
          <thead>
            <tr>
              <th scope="col">Turn</th>
              <th scope="col">In</th>
              <th scope="col">Out</th>
              <th scope="col">Cost</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ turn, number }) => (
              <tr key={turn.runId} data-run-id={turn.runId} data-status={turn.status}>
                <th scope="row">
                  {number}
                  {turn.agent && turn.trigger === 'handoff' ? ` (${turn.agent})` : ''}
                </th>
                <td>{formatTokens(turn.usage.inputTokens)}</td>
                <td>{formatTokens(turn.usage.outputTokens)}</td>
                <td>{turn.usage.cost ? formatCost(turn.usage.cost) : '—'}</td>
                <td>
                  {turn.durationMs !== undefined
                    ? formatDuration(turn.durationMs)
                    : turn.status === 'running'
                      ? 'running'
                      : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
});
