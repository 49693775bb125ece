import type { SessionView, UsageView } from '@switchboard/events/client';
import { formatCost, formatTokens } from '../lib/format.js';
import { TurnUsageChart } from './turn-usage-chart.js';

/**
 * The turn so far: its finished calls plus the live estimate of the one still
 * streaming (the run's totals take a call in only once it ended exactly).
 */
function streamingUsage(usage: UsageView, meter: SessionView['meter']): UsageView {
  if (!meter?.estimated) return usage;
  return {
    ...usage,
    inputTokens: usage.inputTokens + (meter.inputTokens ?? 0),
    outputTokens: usage.outputTokens + meter.outputTokens,
  };
}

function tokensLine(usage: UsageView): string {
  const parts = [
    `${formatTokens(usage.inputTokens)} in`,
    `${formatTokens(usage.outputTokens)} out`,
  ];
  if (usage.cost) parts.push(formatCost(usage.cost));
  return parts.join(' · ');
}

/**
 * Tokens per second while streaming, this turn's and the session's tokens and
 * cost, the context gauge, and the per-turn chart.
 */
export function UsageMeter({ view }: { view: SessionView }) {
  const run = view.run;
  const live = view.meter;
  const streaming = run?.status === 'running';
  const context = view.context;
  const fill =
    context?.tokens !== undefined && context.window !== undefined && context.window > 0
      ? Math.min(1, context.tokens / context.window)
      : undefined;
  return (
    <div className="meter" aria-label="Usage">
      {streaming && live?.runId === run.runId && live.tokensPerSecond !== undefined ? (
        <span className="meter__item meter__speed" title="Output tokens per second">
          {live.tokensPerSecond.toFixed(1)} tok/s{live.estimated ? ' ~' : ''}
        </span>
      ) : null}
      {run ? (
        <span className="meter__item" title="This turn">
          Turn: {tokensLine(streamingUsage(run.usage, streaming ? live : undefined))}
        </span>
      ) : null}
      <span className="meter__item" title="The whole session">
        Session: {tokensLine(view.usage)}
      </span>
      {fill !== undefined && context?.tokens !== undefined && context.window !== undefined ? (
        <span className="meter__item meter__context">
          <span id="context-label">Context</span>
          <span
            className={`gauge${fill > 0.8 ? ' gauge--high' : ''}`}
            role="meter"
            aria-labelledby="context-label"
            aria-valuemin={0}
            aria-valuemax={context.window}
            aria-valuenow={context.tokens}
            aria-valuetext={`${Math.round(fill * 100)} % of ${formatTokens(context.window)}`}
          >
            <span className="gauge__fill" style={{ width: `${fill * 100}%` }} />
          </span>
          {Math.round(fill * 100)} %
        </span>
      ) : null}
      {view.turns.size > 0 ? <TurnUsageChart turns={view.turns} /> : null}
    </div>
  );
}
