import {
  APICallError,
  type LanguageModelV3,
  type LanguageModelV3CallOptions,
  type LanguageModelV3Content,
  type LanguageModelV3FinishReason,
  type LanguageModelV3StreamPart,
  type LanguageModelV3Usage,
} from '@ai-sdk/provider';
import { scriptedTurnSchema, type ScriptedTurn } from '../model-server/scripted-turn.js';
import {
  argsText,
  splitInThree,
  turnFinishReason,
  turnPieces,
  turnUsage,
} from '../model-server/turn-parts.js';

/** A call the scripted model received. */
export interface ScriptedModelCall {
  callIndex: number;
  options: LanguageModelV3CallOptions;
}

/** A `LanguageModelV3` that answers with scripted turns, plus what it was asked. */
export interface ScriptedLanguageModel extends LanguageModelV3 {
  readonly calls: ScriptedModelCall[];
}

/** Turns in order, or a function of the call. */
export type ScriptedModelScript =
  readonly ScriptedTurn[] | ((call: ScriptedModelCall) => ScriptedTurn);

/**
 * An in-process `LanguageModelV3` for fast unit tests: the same scripted
 * turns as the model server, produced as spec stream parts with no HTTP in
 * between. Errors surface as `APICallError`s with the scripted status and
 * retry headers, as a real provider's would; `dropAfterChunks` errors the
 * stream mid-way; `stallAfterChunks` goes silent until the call is aborted.
 * Use the model server when the wire format itself is under test.
 */
export function createScriptedModel(
  script: ScriptedModelScript,
  options: { provider?: string; modelId?: string } = {},
): ScriptedLanguageModel {
  const calls: ScriptedModelCall[] = [];
  const provider = options.provider ?? 'scripted';
  const modelId = options.modelId ?? 'scripted-model';
  const next = (callOptions: LanguageModelV3CallOptions): ScriptedTurn => {
    const call = { callIndex: calls.length, options: callOptions };
    calls.push(call);
    const raw = typeof script === 'function' ? script(call) : script[call.callIndex];
    if (raw === undefined) {
      throw new APICallError({
        message: `Script exhausted: no turn for call #${call.callIndex}`,
        url: `scripted://${provider}`,
        requestBodyValues: {},
        statusCode: 500,
        isRetryable: false,
      });
    }
    const turn = scriptedTurnSchema.parse(raw);
    if (turn.error) throw toApiCallError(turn, provider);
    return turn;
  };
  return {
    specificationVersion: 'v3',
    provider,
    modelId,
    supportedUrls: {},
    calls,
    // Failures reject (never throw synchronously), as a real provider's would.
    doGenerate: (callOptions) =>
      Promise.resolve().then(() => {
        const turn = next(callOptions);
        return {
          content: contentOf(turn),
          finishReason: finishReasonOf(turn),
          usage: usageOf(turn),
          warnings: [],
        };
      }),
    doStream: (callOptions) =>
      Promise.resolve().then(() => {
        const turn = next(callOptions);
        const parts = streamPartsOf(turn);
        const signal = callOptions.abortSignal;
        let sent = 0;
        const stream = new ReadableStream<LanguageModelV3StreamPart>({
          async pull(controller) {
            if (turn.stallAfterChunks !== undefined && sent >= turn.stallAfterChunks) {
              await new Promise<void>((resolve) => {
                if (signal?.aborted) resolve();
                signal?.addEventListener('abort', () => resolve(), { once: true });
              });
              controller.error(signal?.reason ?? new Error('aborted'));
              return;
            }
            if (turn.dropAfterChunks !== undefined && sent >= turn.dropAfterChunks) {
              controller.error(new TypeError('terminated (scripted connection drop)'));
              return;
            }
            if (signal?.aborted) {
              controller.error(signal.reason);
              return;
            }
            const part = parts[sent++];
            if (part === undefined) {
              controller.close();
              return;
            }
            if (turn.delayMs) await new Promise((resolve) => setTimeout(resolve, turn.delayMs));
            controller.enqueue(part);
          },
        });
        return { stream };
      }),
  };
}

function streamPartsOf(turn: ScriptedTurn): LanguageModelV3StreamPart[] {
  const parts: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
  const reasoning = turnPieces(turn.reasoning);
  if (reasoning.length > 0) {
    parts.push({ type: 'reasoning-start', id: 'r0' });
    for (const delta of reasoning) parts.push({ type: 'reasoning-delta', id: 'r0', delta });
    parts.push({ type: 'reasoning-end', id: 'r0' });
  }
  const text = turnPieces(turn.text);
  if (text.length > 0) {
    parts.push({ type: 'text-start', id: 't0' });
    for (const delta of text) parts.push({ type: 'text-delta', id: 't0', delta });
    parts.push({ type: 'text-end', id: 't0' });
  }
  for (const call of turn.toolCalls ?? []) {
    const input = argsText(call.args);
    parts.push({ type: 'tool-input-start', id: call.id, toolName: call.name });
    for (const delta of splitInThree(input)) {
      if (delta !== '') parts.push({ type: 'tool-input-delta', id: call.id, delta });
    }
    parts.push({ type: 'tool-input-end', id: call.id });
    parts.push({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input });
  }
  parts.push({ type: 'finish', finishReason: finishReasonOf(turn), usage: usageOf(turn) });
  return parts;
}

function contentOf(turn: ScriptedTurn): LanguageModelV3Content[] {
  const content: LanguageModelV3Content[] = [];
  if (turn.reasoning !== undefined)
    content.push({ type: 'reasoning', text: turnPieces(turn.reasoning).join('') });
  if (turn.text !== undefined) content.push({ type: 'text', text: turnPieces(turn.text).join('') });
  for (const call of turn.toolCalls ?? []) {
    content.push({
      type: 'tool-call',
      toolCallId: call.id,
      toolName: call.name,
      input: argsText(call.args),
    });
  }
  return content;
}

const UNIFIED: Record<string, LanguageModelV3FinishReason['unified']> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  'tool-calls': 'tool-calls',
  content_filter: 'content-filter',
  'content-filter': 'content-filter',
};

function finishReasonOf(turn: ScriptedTurn): LanguageModelV3FinishReason {
  const raw = turnFinishReason(turn);
  return { unified: UNIFIED[raw] ?? 'other', raw };
}

function usageOf(turn: ScriptedTurn): LanguageModelV3Usage {
  const usage = turnUsage(turn);
  const cached = usage.cachedInputTokens;
  const reasoning = usage.reasoningTokens;
  return {
    inputTokens: {
      total: usage.inputTokens,
      noCache: usage.inputTokens - (cached ?? 0),
      cacheRead: cached,
      cacheWrite: undefined,
    },
    outputTokens: {
      total: usage.outputTokens,
      text: usage.outputTokens - (reasoning ?? 0),
      reasoning,
    },
  };
}

function toApiCallError(turn: ScriptedTurn, provider: string): APICallError {
  const error = turn.error!;
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
  const body = JSON.stringify(
    error.body ?? { error: { message: `Scripted error ${error.status}`, type: 'server_error' } },
  );
  return new APICallError({
    message: `Scripted error ${error.status}`,
    url: `scripted://${provider}`,
    requestBodyValues: {},
    statusCode: error.status,
    responseHeaders: headers,
    responseBody: body,
    isRetryable: error.status === 429 || error.status >= 500,
  });
}
