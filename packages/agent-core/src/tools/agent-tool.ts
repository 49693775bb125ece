import type { SwitchboardError, ToolCallStatus } from '@switchboard/events';
import type { JSONSchema7 } from '@ai-sdk/provider';
import type { z } from 'zod';

/** What a tool's `execute` gets besides its input. */
export interface ToolContext {
  sessionId: string;
  runId: string;
  /** Run number within the session (1-based), the "turn" of hooks and traces. */
  turn: number;
  stepIndex: number;
  toolCallId: string;
  /** Aborted when the run is cancelled or the tool times out. Pass it to fetch, child processes, … */
  signal: AbortSignal;
  /** Reports progress (→ `tool_call.progress`). Cheap; call as often as useful. */
  progress(update: { message?: string; current?: number; total?: number }): void;
}

/** When a tool call needs a human's approval before it runs. */
export type ToolApproval<Input> = 'never' | 'always' | ToolApprovalPredicate<Input>;

/**
 * Decides per call whether a human must approve it (`true` = ask).
 *
 * Declared through a method so its parameter is checked bivariantly: a tool
 * of any input then still fits `Record<string, AgentTool>`.
 */
export type ToolApprovalPredicate<Input> = {
  bivarianceHack(
    input: Input,
    context: Omit<ToolContext, 'signal' | 'progress'>,
  ): boolean | Promise<boolean>;
}['bivarianceHack'];

/**
 * A tool the agent can call. Input is described either by a zod schema
 * (validated before `execute`) or, for tools from elsewhere (MCP), by a JSON
 * Schema passed to the provider unchanged.
 */
export interface AgentTool<Input = unknown, Output = unknown> {
  description: string;
  /**
   * zod schema of the input (its output type is `Input`; `defineTool`
   * checks that); validated before `execute` and converted to JSON Schema for
   * the provider. Typed loosely on purpose: with `z.ZodType<Input>` a tool
   * taking `{ path: string }` would not fit a record of tools of any input.
   */
  inputSchema?: z.ZodType;
  /** JSON Schema of the input, used as is (MCP tools); `inputSchema` wins when both are set. */
  jsonSchema?: JSONSchema7;
  /** @default 'never' */
  approval?: ToolApproval<Input>;
  /** Per-call timeout in ms; the call fails with `CORE_TOOL_TIMEOUT` and its signal aborts. */
  timeoutMs?: number;
  /** ACP tool kind for UIs. */
  kind?:
    | 'read'
    | 'edit'
    | 'delete'
    | 'move'
    | 'search'
    | 'execute'
    | 'think'
    | 'fetch'
    | 'switch_mode'
    | 'other';
  /** Human-readable title for a call ("Reading src/main.ts"). */
  title?(input: Input): string;
  execute(input: Input, context: ToolContext): Output | Promise<Output>;
}

/** The outcome of one tool call, as the loop records it. */
export interface ToolCallOutcome {
  status: ToolCallStatus;
  /** What the model sees (JSON value or text). */
  output?: unknown;
  error?: { message: string; code?: string };
  /** Time spent in `execute`, ms. */
  executionDurationMs: number;
  /** Set when the output was cut to `maxOutputChars`; sizes are UTF-8 bytes. */
  truncated?: { originalBytes: number; keptBytes: number };
}

/** A provider of tools discovered at run time (an MCP server, a plugin). */
export interface ToolSource {
  /** Used as the name prefix (`<name>__<tool>`) unless `prefix` says otherwise. */
  readonly name: string;
  /**
   * Name prefix of this source's tools (`<prefix>__<tool>`); `false` keeps the
   * tools' own names. Must match `^[a-zA-Z0-9_-]{1,64}$`. @default name
   */
  readonly prefix?: string | false;
  /**
   * Lists the tools currently offered, keyed by their own (unprefixed) names.
   * Called before each run, so it should answer from a cache until the list
   * may have changed (MCP: `notifications/tools/list_changed`).
   */
  tools(): Promise<Record<string, AgentTool>>;
  /**
   * Problems found by listings since the last call that did not stop them
   * (MCP: a malformed tool left out, and why); each is returned once.
   * `ToolSet.refresh` reports them with its failures.
   */
  takeWarnings?(): SwitchboardError[];
  /** Releases the source (MCP: closes the connection, stops a stdio server). */
  close?(): Promise<void>;
}
