import type { SessionView, UsageView } from '@switchboard/events/client';
import { formatCost, formatTokens } from '../lib/format.js';

/**
 * The live meter of the view model (`view.meter`: the latest model call,
 * estimated while it streams), read defensively: producers and contract
 * versions without it leave it out, and the meter then shows totals only.
 */
export interface LiveMeter {
  readonly estimated: boolean;
  readonly outputTokens: number;
  readonly tokensPerSecond?: number;
}

export function liveMeterOf(view: SessionView): LiveMeter | undefined {
  const meter: unknown = Reflect.get(view, 'meter');
  if (typeof meter !== 'object' || meter == null) return undefined;
  const estimated: unknown = Reflect.get(meter, 'estimated');
  const outputTokens: unknown = Reflect.get(meter, 'outputTokens');
  const tokensPerSecond: unknown = Reflect.get(meter, 'tokensPerSecond');
  if (typeof outputTokens !== 'number') return undefined;
  return {
    estimated: estimated === true,
    outputTokens,
    ...(typeof tokensPerSecond === 'number' ? { tokensPerSecond } : {}),
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

/** Tokens per second while streaming, this turn's and the session's tokens and cost, the context gauge. */
export function UsageMeter({ view }: { view: SessionView }) {
  const run = view.run;
  const live = liveMeterOf(view);
  const streaming = run?.status === 'running';
  const context = view.context;
  const fill =
    context?.tokens !== undefined && context.window !== undefined && context.window > 0
      ? Math.min(1, context.tokens / context.window)
      : undefined;
  return (
    <div className="meter" aria-label="Usage">
      {streaming && live?.tokensPerSecond !== undefined ? (
        <span className="meter__item meter__speed" title="Output tokens per second">
          {live.tokensPerSecond.toFixed(1)} tok/s{live.estimated ? ' ~' : ''}
        </span>
      ) : null}
      {run ? (
        <span className="meter__item" title="This turn">
          Turn: {tokensLine(run.usage)}
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
    </div>
  );
}
