import type {
  LanguageModelV3,
  LanguageModelV3FunctionTool,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import type { DraftData, EventType, FinishReason, TokenUsage } from '@switchboard/events';
import type { AgentCoreError } from '../errors/agent-core-error.js';
import { toErrorInfo } from '../errors/to-error-info.js';
import { classifyProviderError } from '../models/provider-errors.js';
import { openModelStream } from '../models/open-model-stream.js';
import type { SecretRedaction } from '../models/redact-secrets.js';
import {
  toolIdentity,
  type PreparedCall,
  type ToolCallIdentity,
  type ToolPresentation,
} from '../tools/tool-presentation.js';
import {
  parseToolArguments,
  type ParsedToolInput,
  type ToolArguments,
} from '../tools/parse-tool-input.js';
import { estimateTokens } from '../usage/estimate-tokens.js';
import { toTokenUsage } from '../usage/token-usage.js';
import { UsageMeter, type LiveUsageInit } from '../usage/usage-meter.js';
import type { RunEmitter } from './run-emitter.js';

/** A tool call the model asked for in one step (with its title and kind, for events). */
export interface ModelToolCall extends ToolCallIdentity {
  /**
   * The arguments, parsed once from the text the model sent: what the tool
   * runs on (its schema validates them then), never serialised and parsed again.
   */
  args: ToolArguments;
  /**
   * `args` validated against the tool's schema (`validateToolInput`), once,
   * when the call's tool is known: the title is made from it and the tool
   * runs on it, without validating again.
   */
  checked?: ParsedToolInput;
  /**
   * The arguments as events, hooks and the transcript show them: `args`
   * (redacted when `redact.toolInput`), or the raw text when it is not valid JSON.
   */
  input: unknown;
}

/** What one model call produced. */
export interface ModelStepOutput {
  generationId: string;
  purpose: GenerationPurpose;
  provider: string;
  model: string;
  responseModel?: string;
  /** The provider's id of the response, when it sends one. */
  responseId?: string;
  messageId?: string;
  text: string;
  reasoning: string;
  toolCalls: ModelToolCall[];
  /** Tool calls whose input was still streaming when the step ended early. */
  unfinishedToolCalls: ToolCallIdentity[];
  finishReason: FinishReason;
  usage: TokenUsage;
  durationMs: number;
  timeToFirstTokenMs?: number;
  attempt: number;
  modelIndex: number;
  /** Cost in USD, when the model has a price. */
  costUsd?: number;
  /** Set when the step ended on cancel. */
  cancelled: boolean;
  /** Set when the step failed after retries and fallbacks. */
  error?: AgentCoreError;
}

/**
 * Why a model call is made: a `turn` of the loop streams its content as
 * events; any other purpose (a `compaction` summary, a session `title`) is
 * internal, so only its generation events (and usage) are emitted.
 */
export type GenerationPurpose = 'turn' | 'compaction' | 'title';

/** Inputs of {@link runModelStep}. */
export interface ModelStepInput {
  emitter: RunEmitter;
  /** @default 'turn' */
  purpose?: GenerationPurpose;
  models: readonly LanguageModelV3[];
  prompt: LanguageModelV3Prompt;
  tools: LanguageModelV3FunctionTool[];
  settings: {
    temperature?: number;
    maxOutputTokens?: number;
    topP?: number;
    providerOptions?: Record<string, Record<string, unknown>>;
  };
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  /** See `modelIdleTimeoutMs` in the agent options. */
  idleTimeoutMs: number;
  signal: AbortSignal;
  newId: (prefix: string) => string;
  now: () => number;
  onFallback?: (info: { from: string; to: string; error: AgentCoreError }) => void;
  /** Prices a call (USD), or `undefined` when the model has no price. */
  costOf?: (usage: TokenUsage, provider: string, model: string) => number | undefined;
  /** What to redact before events leave: errors always, tool arguments when `toolInput`. */
  redaction?: SecretRedaction;
  /** The live usage meter's settings; no estimates when absent. */
  liveUsage?: LiveUsageInit | undefined;
  /** The kind of a tool, for the events of a call whose input is not known yet. */
  presentTool?: (toolName: string) => ToolPresentation;
  /**
   * Validates a call's parsed arguments against its tool's schema, once,
   * and makes its title and kind from the result (see `prepareCall`).
   */
  prepareToolCall?: (toolName: string, args: ToolArguments) => Promise<PreparedCall>;
  /**
   * The prompt's estimated tokens for the meter, when the caller has them
   * cheaper than serialising the prompt (a session measures its prompt
   * incrementally); `estimateTokens(prompt)` otherwise.
   */
  promptTokens?: () => number;
}

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool-calls',
  'content-filter': 'content-filter',
  error: 'error',
  other: 'other',
};

/**
 * One model call: opens the stream (with retries and fallbacks), turns its
 * parts into contract events as they arrive, and returns what the model said.
 * Never throws: cancel and failure come back in the output, with whatever was
 * produced before them, so nothing the model said is lost.
 */
export async function runModelStep(input: ModelStepInput): Promise<ModelStepOutput> {
  const { emitter, signal, newId, now } = input;
  const present = input.presentTool ?? (() => ({}));
  const purpose = input.purpose ?? 'turn';
  // Content of an internal call (a summary) is not part of the conversation's stream.
  const content: { emit<T extends EventType>(type: T, data: DraftData<T>): unknown } =
    purpose === 'turn' ? emitter : { emit: () => undefined };
  const generationId = newId('gen');
  const first = input.models[0]!;
  const output: ModelStepOutput = {
    generationId,
    purpose,
    provider: first.provider,
    model: first.modelId,
    text: '',
    reasoning: '',
    toolCalls: [],
    unfinishedToolCalls: [],
    finishReason: 'other',
    usage: {},
    durationMs: 0,
    attempt: 1,
    modelIndex: 0,
    cancelled: false,
  };
  const started = now();
  const parameters = hasSettings(input.settings)
    ? { parameters: pickParameters(input.settings) }
    : {};
  emitter.emit('generation.started', {
    generationId,
    provider: first.provider,
    model: first.modelId,
    attempt: 1,
    ...parameters,
    purpose,
  });
  const streaming = new Map<string, { toolName: string; text: string }>();
  /** Set when tool arguments are redacted (`redact.toolInput`). */
  const inputRedactor = input.redaction?.toolInput ? input.redaction.redactor : undefined;
  const reasoningIds = new Map<string, string>();
  let messageOpen = false;
  const meter = input.liveUsage
    ? new UsageMeter({
        ...input.liveUsage,
        emitter,
        now,
        generationId,
        promptTokens: input.promptTokens ?? (() => estimateTokens(input.prompt)),
        ...(input.costOf ? { costOf: input.costOf } : {}),
      })
    : undefined;
  const markFirstToken = () => {
    output.timeToFirstTokenMs ??= now() - started;
  };
  try {
    const opened = await openModelStream({
      models: [...input.models],
      callOptions: {
        prompt: input.prompt,
        ...(input.tools.length > 0
          ? { tools: input.tools, toolChoice: { type: 'auto' as const } }
          : {}),
        ...pickParameters(input.settings),
        ...(input.settings.providerOptions
          ? { providerOptions: input.settings.providerOptions as never }
          : {}),
        includeRawChunks: false,
      },
      signal,
      retry: input.retry,
      idleTimeoutMs: input.idleTimeoutMs,
      ...(input.onFallback ? { onFallback: input.onFallback } : {}),
      ...(input.redaction ? { redactor: input.redaction.redactor } : {}),
      // Attempt 1 was announced above, so a call cancelled before it still has its start.
      onAttempt: ({ attempt, model }) => {
        if (attempt === 1) return;
        emitter.emit('generation.started', {
          generationId,
          provider: model.provider,
          model: model.modelId,
          attempt,
          ...parameters,
          purpose,
        });
      },
      onRetry: ({ attempt, nextAttempt, delayMs, error, model, fallbackTo }) =>
        emitter.emit('generation.retrying', {
          generationId,
          provider: model.provider,
          model: model.modelId,
          attempt,
          nextAttempt,
          delayMs,
          error: toErrorInfo(error),
          ...(fallbackTo ? { fallbackTo: `${fallbackTo.provider}:${fallbackTo.modelId}` } : {}),
          purpose,
        }),
    });
    output.attempt = opened.attempt;
    output.modelIndex = opened.modelIndex;
    output.provider = opened.model.provider;
    output.model = opened.model.modelId;
    meter?.open(output.provider, output.model);
    const reader = opened.stream;
    try {
      for (;;) {
        const { value: part, done } = await reader.read();
        if (done) break;
        // A call's input is validated (asynchronously) before its `tool_call.ready`; the
        // next part waits, so events keep the stream's order.
        if (part.type === 'tool-call') await handleToolCall(part);
        else handlePart(part);
      }
    } finally {
      reader.release();
    }
  } catch (error) {
    if (signal.aborted) output.cancelled = true;
    else {
      output.error = classifyProviderError(error, input.redaction?.redactor);
      output.finishReason = 'error';
    }
  }
  if (signal.aborted) output.cancelled = true;
  output.durationMs = now() - started;
  // Close what the stream left open, keeping the partial content.
  const endStatus = output.cancelled ? 'cancelled' : output.error ? 'failed' : 'completed';
  for (const reasoningId of reasoningIds.values()) {
    content.emit('reasoning.completed', {
      reasoningId,
      text: output.reasoning,
      ...(endStatus === 'completed' ? {} : { status: endStatus }),
    });
  }
  if (messageOpen && output.messageId) {
    content.emit('message.completed', {
      messageId: output.messageId,
      text: output.text,
      status: endStatus,
    });
  }
  for (const [toolCallId, pending] of streaming)
    output.unfinishedToolCalls.push({
      toolCallId,
      toolName: pending.toolName,
      ...present(pending.toolName),
    });
  // Every started call gets one terminal event; on cancel the loop ends them (cancelled).
  if (!output.cancelled) failAbandonedCalls(emitter, output);
  if (output.cancelled) output.finishReason = 'cancelled';
  output.costUsd = input.costOf?.(output.usage, output.provider, output.model);
  emitter.emit('generation.finished', {
    generationId,
    provider: output.provider,
    model: output.model,
    finishReason: output.finishReason,
    usage: output.usage,
    durationMs: output.durationMs,
    ...(output.timeToFirstTokenMs === undefined
      ? {}
      : { timeToFirstTokenMs: output.timeToFirstTokenMs }),
    ...(output.responseId ? { responseId: output.responseId } : {}),
    ...(output.costUsd === undefined ? {} : { cost: { amount: output.costUsd, currency: 'USD' } }),
    ...(output.error ? { error: toErrorInfo(output.error) } : {}),
    purpose,
  });
  return output;

  function openMessage() {
    if (messageOpen) return;
    messageOpen = true;
    output.messageId = newId('msg');
    content.emit('message.started', { messageId: output.messageId, role: 'assistant' });
  }

  /** A call's whole input arrived: parsed and validated once, then `tool_call.ready`. */
  async function handleToolCall(
    part: Extract<LanguageModelV3StreamPart, { type: 'tool-call' }>,
  ): Promise<void> {
    markFirstToken();
    if (
      !streaming.has(part.toolCallId) &&
      !output.toolCalls.some((call) => call.toolCallId === part.toolCallId)
    ) {
      content.emit('tool_call.started', {
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        ...present(part.toolName),
        ...(output.messageId ? { parentMessageId: output.messageId } : {}),
      });
    }
    const streamed = streaming.get(part.toolCallId)?.text;
    streaming.delete(part.toolCallId);
    const rawInput = part.input;
    if (!streamed) meter?.add(rawInput.length, false); // arguments sent whole
    const args = parseToolArguments(rawInput);
    // The tool runs on `args`; events, hooks and the transcript get `shown`.
    const given = args.ok ? args.value : rawInput;
    const shown = inputRedactor ? inputRedactor.value(given) : given;
    if (inputRedactor && streamed)
      emitter.emit('tool_call.args_delta', {
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        delta: inputRedactor.text(rawInput || streamed),
      });
    // Validated once, here: its title is made from the result, and the tool runs on it.
    const prepared = input.prepareToolCall
      ? await input.prepareToolCall(part.toolName, args)
      : present(part.toolName);
    const call: ModelToolCall = {
      toolCallId: part.toolCallId,
      toolName: part.toolName,
      ...prepared,
      args,
      input: shown,
    };
    output.toolCalls.push(call);
    content.emit('tool_call.ready', {
      ...toolIdentity(call),
      input: shown,
      ...(args.ok
        ? {}
        : {
            inputError: {
              message: input.redaction?.redactor.text(args.message) ?? args.message,
              code: 'CORE_TOOL_INVALID_INPUT',
            },
          }),
    });
  }

  function handlePart(part: Exclude<LanguageModelV3StreamPart, { type: 'tool-call' }>): void {
    switch (part.type) {
      case 'text-delta':
        if (part.delta.length === 0) return;
        markFirstToken();
        openMessage();
        output.text += part.delta;
        meter?.add(part.delta.length, false);
        content.emit('message.delta', { messageId: output.messageId!, delta: part.delta });
        return;
      case 'reasoning-start':
        if (!reasoningIds.has(part.id)) {
          const reasoningId = newId('rsn');
          reasoningIds.set(part.id, reasoningId);
          content.emit('reasoning.started', { reasoningId });
        }
        return;
      case 'reasoning-delta': {
        if (part.delta.length === 0) return;
        markFirstToken();
        let reasoningId = reasoningIds.get(part.id);
        if (!reasoningId) {
          reasoningId = newId('rsn');
          reasoningIds.set(part.id, reasoningId);
          content.emit('reasoning.started', { reasoningId });
        }
        output.reasoning += part.delta;
        meter?.add(part.delta.length, true);
        content.emit('reasoning.delta', { reasoningId, delta: part.delta });
        return;
      }
      case 'tool-input-start':
        markFirstToken();
        streaming.set(part.id, { toolName: part.toolName, text: '' });
        content.emit('tool_call.started', {
          toolCallId: part.id,
          toolName: part.toolName,
          ...present(part.toolName),
          ...(output.messageId ? { parentMessageId: output.messageId } : {}),
          ...(part.providerExecuted ? { providerExecuted: true } : {}),
        });
        return;
      case 'tool-input-delta': {
        const pending = streaming.get(part.id);
        if (!pending || part.delta.length === 0) return;
        pending.text += part.delta;
        meter?.add(part.delta.length, false);
        // Redacted arguments go out whole at the end: a secret split across
        // fragments cannot be recognised fragment by fragment.
        if (!inputRedactor)
          content.emit('tool_call.args_delta', {
            toolCallId: part.id,
            toolName: pending.toolName,
            delta: part.delta,
          });
        return;
      }
      case 'response-metadata':
        if (part.modelId) output.responseModel = part.modelId;
        if (part.id) output.responseId = part.id;
        return;
      case 'finish':
        output.finishReason = FINISH_REASONS[part.finishReason.unified] ?? 'other';
        output.usage = toTokenUsage(part.usage);
        return;
      case 'error':
        throw part.error;
      // Nothing to do: bookkeeping parts, and provider-executed tools (the provider's business).
      case 'stream-start':
      case 'text-start':
      case 'text-end':
      case 'reasoning-end':
      case 'tool-input-end':
      case 'source':
      case 'file':
      case 'raw':
      case 'tool-result':
      case 'tool-approval-request':
        return;
    }
  }
}

/**
 * Ends, as failed, the calls of a step that will never run: calls whose
 * arguments were still streaming when the stream ended or dropped and, when
 * the step failed (which ends the run), its complete calls too.
 */
function failAbandonedCalls(emitter: RunEmitter, output: ModelStepOutput): void {
  const { error } = output;
  const fail = (call: ToolCallIdentity, message: string, code: string) =>
    emitter.emit('tool_call.completed', {
      ...toolIdentity(call),
      status: 'failed',
      error: { message, code },
      executionDurationMs: 0,
    });
  for (const call of output.unfinishedToolCalls) {
    fail(
      call,
      error
        ? `The model call failed before this call's arguments were complete: ${error.message}`
        : "The model's answer ended before this call's arguments were complete.",
      'CORE_TOOL_CALL_INCOMPLETE',
    );
  }
  if (!error) return;
  for (const call of output.toolCalls)
    fail(call, `Not run: the model call failed (${error.message}).`, error.code);
}

function pickParameters(settings: ModelStepInput['settings']) {
  return {
    ...(settings.temperature === undefined ? {} : { temperature: settings.temperature }),
    ...(settings.maxOutputTokens === undefined
      ? {}
      : { maxOutputTokens: settings.maxOutputTokens }),
    ...(settings.topP === undefined ? {} : { topP: settings.topP }),
  };
}

function hasSettings(settings: ModelStepInput['settings']): boolean {
  return Object.keys(pickParameters(settings)).length > 0;
}
