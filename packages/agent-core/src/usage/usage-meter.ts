import type { TokenUsage } from '@switchboard/events';
import type { RunEmitter } from '../loop/run-emitter.js';
import { tokensOfChars } from './estimate-tokens.js';
import { addUsage } from './token-usage.js';

/** What the run tells a model call's meter (see {@link liveUsageOf}). */
export interface LiveUsageInit {
  /** Least time between two estimates; at least 100 ms (ten a second). */
  readonly intervalMs: number;
  /** The run's totals before this call. */
  readonly base: { readonly usage: TokenUsage; readonly costUsd: number | undefined };
  /** Whether the call's prompt is the conversation's context (a turn of a top-level run). */
  readonly ownContext: boolean;
  /** The window of the model that answers, or `undefined` when it is not known. */
  contextWindow(provider: string, model: string): number | undefined;
}

/** What {@link UsageMeter} needs besides {@link LiveUsageInit}. */
export interface UsageMeterInit extends LiveUsageInit {
  readonly emitter: RunEmitter;
  readonly now: () => number;
  readonly generationId: string;
  /** Estimated tokens of the prompt; asked once, by the first estimate. */
  readonly promptTokens: () => number;
  readonly costOf?: (usage: TokenUsage, provider: string, model: string) => number | undefined;
}

/**
 * The live meter of one streaming model call: run-scoped `usage.updated`
 * events with `estimated: true`, at most one per `intervalMs`.
 *
 * The numbers are estimates: output tokens are the streamed characters
 * (text, reasoning and tool arguments) divided by 4, the prompt's tokens its
 * JSON's characters divided by 4 (the rule compaction uses), so they can be
 * off by a good share for code, other languages or images. The provider's
 * counts replace them when the call ends (see `recordUsage`).
 *
 * On the hot path ({@link add}, once per streamed delta) it adds to a counter
 * and reads the clock; everything else happens only when an update is due.
 * The first update comes one interval after the first token, so a call that
 * streams for less than that emits none.
 */
export class UsageMeter {
  readonly #init: UsageMeterInit;
  #chars = 0;
  #reasoningChars = 0;
  /** When the first token came; -1 before. */
  #firstAt = -1;
  #lastAt = 0;
  #provider = '';
  #model = '';
  #window: number | undefined;
  #promptTokens: number | undefined;

  constructor(init: UsageMeterInit) {
    this.#init = init;
  }

  /** The stream opened on this model (the first, a retry's or a fallback's). */
  open(provider: string, model: string): void {
    this.#provider = provider;
    this.#model = model;
    this.#window = this.#init.contextWindow(provider, model);
  }

  /** `chars` characters of output streamed (`reasoning`: of a reasoning block). */
  add(chars: number, reasoning: boolean): void {
    this.#chars += chars;
    if (reasoning) this.#reasoningChars += chars;
    const now = this.#init.now();
    if (this.#firstAt < 0) {
      this.#firstAt = now;
      this.#lastAt = now;
    } else if (now - this.#lastAt >= this.#init.intervalMs) {
      this.#emit(now);
    }
  }

  #emit(now: number): void {
    this.#lastAt = now;
    const init = this.#init;
    const inputTokens = (this.#promptTokens ??= init.promptTokens());
    const outputTokens = tokensOfChars(this.#chars);
    const call: TokenUsage = {
      inputTokens,
      outputTokens,
      totalTokens: inputTokens + outputTokens,
      ...(this.#reasoningChars > 0 ? { reasoningTokens: tokensOfChars(this.#reasoningChars) } : {}),
    };
    const callCost = init.costOf?.(call, this.#provider, this.#model);
    const cost = callCost === undefined ? init.base.costUsd : (init.base.costUsd ?? 0) + callCost;
    const rate = tokensPerSecond(outputTokens, now - this.#firstAt);
    init.emitter.emit('usage.updated', {
      scope: 'run',
      generationId: init.generationId,
      estimated: true,
      usage: addUsage(init.base.usage, call),
      call,
      ...(cost === undefined ? {} : { cost: { amount: cost, currency: 'USD' } }),
      ...(rate === undefined ? {} : { tokensPerSecond: rate }),
      ...(init.ownContext ? { contextTokens: inputTokens + outputTokens } : {}),
      ...(init.ownContext && this.#window !== undefined ? { contextWindow: this.#window } : {}),
    });
  }
}

/**
 * Output tokens per second over `streamingMs`, to one decimal; undefined when
 * nothing streamed or no time passed. The events view model computes the
 * same from `generation.finished`, so exact numbers agree wherever they come from.
 */
export function tokensPerSecond(outputTokens: number, streamingMs: number): number | undefined {
  if (outputTokens <= 0 || streamingMs <= 0) return undefined;
  return Math.round((outputTokens / streamingMs) * 10_000) / 10;
}
