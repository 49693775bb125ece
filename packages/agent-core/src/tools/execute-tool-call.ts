import type { JSONValue, LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';
import type { AgentTool, ToolCallOutcome, ToolContext } from './agent-tool.js';
import { normalizeToolOutput, truncateText } from './normalize-tool-output.js';
import { onAbort } from './on-abort.js';
import {
  parseToolArguments,
  validateToolInput,
  type ParsedToolInput,
  type ToolArguments,
} from './parse-tool-input.js';
import type { CoreErrorCode } from '../errors/agent-core-error.js';

/** A progress report of a running tool (→ `tool_call.progress`). */
export type ToolProgress = Parameters<ToolContext['progress']>[0];

/**
 * The call's arguments: the text the model sent (`rawInput`, parsed and
 * validated here), the parsed `args` when the caller parsed the text already
 * (validated here, never parsed again), or the `input` the caller validated
 * against this tool's schema with `validateToolInput` (neither parsed nor
 * validated again).
 */
export type ToolCallArguments =
  | { rawInput: string; args?: never; input?: never }
  | { args: ToolArguments; rawInput?: never; input?: never }
  | { input: ParsedToolInput; rawInput?: never; args?: never };

/** What {@link executeToolCall} needs for one call. */
export type ExecuteToolCallOptions = ToolCallArguments & ExecuteToolCallSettings;

/** Everything {@link executeToolCall} needs besides the arguments. */
export interface ExecuteToolCallSettings {
  /** The tool, or `undefined` when the model named a tool that does not exist. */
  tool: AgentTool<never, unknown> | undefined;
  /** The name the model used. */
  toolName: string;
  /** Ids for the tool's context; `signal` and `progress` are added here. */
  context: Omit<ToolContext, 'signal' | 'progress'>;
  /** The run's signal: when it aborts, the call ends `cancelled` at once. */
  signal?: AbortSignal;
  /** Receives the tool's progress reports while it runs (later ones are dropped). */
  onProgress?: (update: ToolProgress) => void;
  /** Per-call timeout in ms. @default tool.timeoutMs (none when unset) */
  timeoutMs?: number;
  /** Largest output (characters) given to the model. @default 100_000 */
  maxOutputChars?: number;
  /** Tool names listed to the model when it calls an unknown one. */
  availableTools?: readonly string[];
}

const DEFAULT_MAX_OUTPUT_CHARS = 100_000;

/** The call's input validated against the tool's schema: once, here or by the caller. */
async function checkedInput(
  tool: AgentTool<never, unknown>,
  options: ToolCallArguments,
): Promise<ParsedToolInput> {
  if (options.input !== undefined) return options.input;
  if (options.args !== undefined) return validateToolInput(tool, options.args);
  return validateToolInput(tool, parseToolArguments(options.rawInput));
}

type Settled =
  { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown } | { kind: 'aborted' };

/**
 * Runs one tool call from the model and describes what happened. It never
 * throws: bad arguments, unknown tools, errors, timeouts and cancellation all
 * become outcomes whose message the model can act on.
 *
 * The call resolves as soon as the run signal aborts or the timeout fires,
 * even if the tool ignores its signal (the tool's late result is discarded),
 * so one stuck tool cannot hang a cancelled run.
 */
export async function executeToolCall(options: ExecuteToolCallOptions): Promise<ToolCallOutcome> {
  const { tool, toolName, signal } = options;
  const maxChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  if (tool === undefined) {
    const available = options.availableTools ?? [];
    const list =
      available.length > 0
        ? ` Available tools: ${available.join(', ')}.`
        : ' No tools are available.';
    return failed('CORE_UNKNOWN_TOOL', `Unknown tool "${toolName}".${list}`, 0);
  }
  if (signal?.aborted) return { status: 'cancelled', executionDurationMs: 0 };
  const input = await checkedInput(tool, options);
  if (!input.ok) return failed('CORE_TOOL_INVALID_INPUT', input.message, 0);
  if (signal?.aborted) return { status: 'cancelled', executionDurationMs: 0 }; // aborted while parsing

  const controller = new AbortController();
  let timedOut = false;
  // Through onAbort: one listener on the run's signal however many calls run at once.
  const stopWaiting = signal ? onAbort(signal, () => controller.abort(signal.reason)) : undefined;
  const timeoutMs = options.timeoutMs ?? tool.timeoutMs;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new Error(`Tool call timed out after ${timeoutMs} ms.`));
        }, timeoutMs);
  // Registered before `execute` runs, so an abort wins over a tool that
  // resolves from its own abort listener.
  const aborted = new Promise<Settled>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve({ kind: 'aborted' }), { once: true }),
  );
  let running = true;
  const context: ToolContext = {
    ...options.context,
    signal: controller.signal,
    progress: (update) => {
      if (running) options.onProgress?.(update);
    },
  };
  const started = performance.now();
  let settled: Settled;
  try {
    // Through a promise chain so a synchronous throw is caught like a rejection.
    const execution = Promise.resolve()
      .then(() => (tool as AgentTool).execute(input.value, context))
      .then(
        (value): Settled => ({ kind: 'value', value }),
        (error: unknown): Settled => ({ kind: 'error', error }),
      );
    settled = await Promise.race([execution, aborted]);
  } finally {
    running = false;
    clearTimeout(timer);
    stopWaiting?.();
  }
  const executionDurationMs = Math.round(performance.now() - started);

  if (settled.kind === 'aborted' || (settled.kind === 'error' && controller.signal.aborted)) {
    return timedOut
      ? failed(
          'CORE_TOOL_TIMEOUT',
          `Tool "${toolName}" timed out after ${timeoutMs} ms.`,
          executionDurationMs,
        )
      : { status: 'cancelled', executionDurationMs };
  }
  if (settled.kind === 'error') {
    return failedWithText(describeError(settled.error), executionDurationMs, maxChars);
  }
  if (isErrorResult(settled.value)) {
    return failedWithText(describeErrorResult(settled.value), executionDurationMs, maxChars);
  }
  const normalized = normalizeToolOutput(settled.value, maxChars);
  if (!normalized.ok)
    return failed('CORE_TOOL_OUTPUT_INVALID', normalized.message, executionDurationMs);
  return {
    status: 'completed',
    output: normalized.output,
    executionDurationMs,
    ...(normalized.truncated ? { truncated: normalized.truncated } : {}),
  };
}

/**
 * The tool result a provider gets for an outcome: `text` for strings, `json`
 * for other values, `error-text` for failures and cancellations,
 * `execution-denied` for denied calls.
 */
export function toToolResultOutput(outcome: ToolCallOutcome): LanguageModelV3ToolResultOutput {
  switch (outcome.status) {
    case 'completed':
      return typeof outcome.output === 'string'
        ? { type: 'text', value: outcome.output }
        : { type: 'json', value: (outcome.output ?? null) as JSONValue };
    case 'failed':
      return { type: 'error-text', value: outcome.error?.message ?? 'The tool call failed.' };
    case 'denied':
      return {
        type: 'execution-denied',
        ...(outcome.error ? { reason: outcome.error.message } : {}),
      };
    case 'cancelled':
      return { type: 'error-text', value: 'Cancelled by the user.' };
  }
}

function failed(
  code: CoreErrorCode,
  message: string,
  executionDurationMs: number,
): ToolCallOutcome {
  return { status: 'failed', error: { message, code }, executionDurationMs };
}

/** A failure whose message comes from the tool, so it is size-limited like output. */
function failedWithText(
  { message, code }: { message: string; code?: string },
  executionDurationMs: number,
  maxChars: number,
): ToolCallOutcome {
  const cut = truncateText(message, maxChars);
  return {
    status: 'failed',
    error: { message: cut.output, ...(code === undefined ? {} : { code }) },
    executionDurationMs,
    ...(cut.truncated ? { truncated: cut.truncated } : {}),
  };
}

function describeError(error: unknown): { message: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { message: error.message || error.name, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: typeof error === 'string' ? error : safeJson(error) };
}

/** MCP-style error results: `{ isError: true, content: [{ type: 'text', text }] }`. */
function isErrorResult(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value != null && (value as { isError?: unknown }).isError === true
  );
}

function describeErrorResult(value: Record<string, unknown>): { message: string; code?: string } {
  const code = typeof value.code === 'string' ? value.code : undefined;
  const texts = Array.isArray(value.content)
    ? value.content.flatMap((part: unknown) =>
        typeof part === 'object' &&
        part != null &&
        typeof (part as { text?: unknown }).text === 'string'
          ? [(part as { text: string }).text]
          : [],
      )
    : [];
  const message =
    texts.length > 0
      ? texts.join('\n')
      : typeof value.error === 'string'
        ? value.error
        : typeof value.message === 'string'
          ? value.message
          : safeJson(value);
  return {
    message: message || 'The tool reported an error.',
    ...(code === undefined ? {} : { code }),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
