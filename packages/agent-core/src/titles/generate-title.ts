import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { TitleSource } from '@switchboard/events';
import { runModelStep, type ModelStepOutput } from '../loop/model-step.js';
import { RunEmitter } from '../loop/run-emitter.js';
import type { AgentRuntime } from '../loop/run-state.js';
import type { SessionState } from '../sessions/session-state.js';
import { createCostOf } from '../usage/price-table.js';
import { fallbackTitle, sanitizeTitle } from './sanitize-title.js';

/** The built-in instructions of the title call (`titles.prompt` replaces them). */
export const DEFAULT_TITLE_PROMPT =
  'You name conversations. Write a short title, at most six words, for the conversation below, ' +
  'in its language. Answer with the title only: no quotes, no markdown, no final period.';

/** How much of each side of the exchange the title call sees (characters). */
const EXCERPT_CHARS = 2000;
/** Enough for a title, with room for a model that thinks first. */
const TITLE_MAX_OUTPUT_TOKENS = 128;

/** What {@link generateTitle} needs. */
export interface TitleRequest {
  readonly runtime: AgentRuntime;
  /** The session's state: the call counts in its totals. */
  readonly state: SessionState;
  /** The run whose exchange is named: the title call's events name it as their `parentRunId`. */
  readonly runId: string;
  readonly firstMessage: string;
  readonly answer: string;
  readonly signal: AbortSignal;
}

/**
 * One small model call without tools that names the session. It is a
 * generation like any other (`purpose: 'title'`), reported after the named
 * run's end under a `runId` of its own whose `parentRunId` is that run: not a
 * run of the conversation (no `run.started`), so no reader takes it for part
 * of the named run, and a stream that starts after that run ended opens no
 * run for it. Tried once on the title model (no retries, no fallback models:
 * a failure costs one request and gets the fallback title), and counted in
 * the session's totals with a `usage.updated{scope: 'session'}`, never in the
 * run's. Resolves to the sanitised title, to the
 * fallback from the first message when the call failed or said nothing, or to
 * `undefined` when `signal` aborted it (the user named the session, or it
 * closed).
 */
export async function generateTitle(
  request: TitleRequest,
): Promise<{ title: string; source: Extract<TitleSource, 'model' | 'fallback'> } | undefined> {
  const { runtime, signal } = request;
  const { maxChars, prompt: instructions } = runtime.options.titles;
  const emitter = new RunEmitter(runtime.bus, {
    sessionId: request.state.id,
    runId: runtime.newId('ttl'),
    parentRunId: request.runId,
  });
  const prompt: LanguageModelV3Prompt = [
    { role: 'system', content: instructions ?? DEFAULT_TITLE_PROMPT },
    {
      role: 'user',
      content: [
        {
          type: 'text',
          text: `User: ${excerpt(request.firstMessage)}\n\nAssistant: ${excerpt(request.answer)}`,
        },
      ],
    },
  ];
  const providerOptions = runtime.options.modelSettings.providerOptions;
  const step = await runModelStep({
    emitter,
    purpose: 'title',
    models: [runtime.titleModel()],
    prompt,
    tools: [],
    settings: {
      maxOutputTokens: TITLE_MAX_OUTPUT_TOKENS,
      ...(providerOptions ? { providerOptions } : {}),
    },
    retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 1 },
    idleTimeoutMs: runtime.options.modelIdleTimeoutMs,
    signal,
    newId: (prefix) => runtime.newId(prefix),
    now: () => runtime.now(),
    redaction: runtime.redaction,
    costOf: createCostOf(runtime.prices),
  });
  recordSessionCall(request.state, emitter, step);
  if (step.cancelled || signal.aborted) return undefined;
  // A failed call is not reported to onError: the fallback handles it, and its
  // generation.finished carries the error for whoever watches the events.
  const title = step.error ? undefined : sanitizeTitle(step.text, maxChars);
  return title === undefined
    ? { title: fallbackTitle(request.firstMessage, maxChars), source: 'fallback' }
    : { title, source: 'model' };
}

/**
 * Counts the title call in the session, as every model call is (so the
 * session total equals the sum of its generations), and reports the new
 * total. It belongs to no run: the run it names has already ended.
 */
function recordSessionCall(state: SessionState, emitter: RunEmitter, step: ModelStepOutput): void {
  const totals = state.addUsage(step.usage, step.costUsd);
  emitter.emit('usage.updated', {
    scope: 'session',
    usage: totals.usage,
    ...(totals.costUsd === undefined ? {} : { cost: { amount: totals.costUsd, currency: 'USD' } }),
  });
}

function excerpt(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}…`;
}
