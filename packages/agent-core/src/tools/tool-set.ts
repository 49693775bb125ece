import type { LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import { SwitchboardError } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';
import type { AgentTool, ToolSource } from './agent-tool.js';
import { assertToolName, toToolName } from './tool-name.js';
import { toSpecTool, toolInputJsonSchema } from './to-spec-tool.js';

/** What a {@link ToolSet} is built from. */
export interface ToolSetOptions {
  /** Tools by name; names must match `^[a-zA-Z0-9_-]{1,64}$`. */
  tools?: Readonly<Record<string, AgentTool<never, unknown>>>;
  /** Sources listed by {@link ToolSet.refresh}; their tools are named `<prefix>__<tool>`. */
  sources?: readonly ToolSource[];
}

/** What {@link ToolSet.refresh} could not do. It never throws: one broken server must not stop the agent. */
export interface ToolSetRefreshResult {
  /**
   * One entry per problem: a source that failed to list (its previous tools
   * stay), a source tool dropped because its name was taken
   * (`CORE_DUPLICATE_TOOL`; static tools and earlier sources win), or a
   * warning of the source (`takeWarnings`, e.g. `CORE_MCP_INVALID_TOOL`).
   */
  failures: Array<{ source: string; error: SwitchboardError }>;
}

interface SourceEntry {
  readonly source: ToolSource;
  /** `<prefix>__`, or '' for sources that keep their tools' names. */
  readonly prefix: string;
  /** Full name → tool, from the last successful listing. */
  tools: Map<string, AgentTool>;
}

/**
 * The tools an agent offers: its own, plus those of tool sources (MCP servers)
 * as of the last {@link ToolSet.refresh}. Names are checked once, here, so
 * the loop can look tools up and send them to a provider without re-checking.
 */
export class ToolSet {
  readonly #tools = new Map<string, AgentTool>();
  readonly #sources: SourceEntry[] = [];
  #specTools: LanguageModelV3FunctionTool[] | undefined;
  #refreshing: Promise<ToolSetRefreshResult> | undefined;

  /**
   * Throws `CORE_INVALID_TOOL_NAME`, `CORE_INVALID_TOOL_SCHEMA` or
   * `CORE_DUPLICATE_TOOL` (two sources with one prefix) for configuration
   * errors. Sources are not contacted until {@link ToolSet.refresh}.
   */
  constructor({ tools = {}, sources = [] }: ToolSetOptions = {}) {
    for (const [name, tool] of Object.entries(tools)) {
      assertToolName(name);
      toolInputJsonSchema(name, tool); // surface schema errors now, not mid-run
      this.#tools.set(name, tool);
    }
    const prefixes = new Set<string>();
    for (const source of sources) {
      const prefix = source.prefix ?? source.name;
      if (prefix !== false) {
        assertToolName(prefix, 'Tool source prefix');
        if (prefixes.has(prefix))
          throw duplicate(`Two tool sources use the prefix "${prefix}".`, prefix);
        prefixes.add(prefix);
      }
      this.#sources.push({
        source,
        prefix: prefix === false ? '' : `${prefix}__`,
        tools: new Map(),
      });
    }
  }

  /** Every tool name, own tools first, then each source's in order. */
  names(): string[] {
    return [...this.#tools.keys(), ...this.#sources.flatMap((entry) => [...entry.tools.keys()])];
  }

  /** The tool called `name`, if there is one. */
  get(name: string): AgentTool | undefined {
    const own = this.#tools.get(name);
    if (own) return own;
    for (const entry of this.#sources) {
      const tool = entry.tools.get(name);
      if (tool) return tool;
    }
    return undefined;
  }

  /** Whether a tool called `name` exists. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /**
   * Tools as the provider spec's function tools. Without an argument: this
   * set's tools. With `tools` (run-local tools such as `ask_user`): only those,
   * checked like the set's own and against its names (`CORE_DUPLICATE_TOOL`).
   */
  toSpecTools(
    tools?: Readonly<Record<string, AgentTool<never, unknown>>>,
  ): LanguageModelV3FunctionTool[] {
    if (tools === undefined) {
      this.#specTools ??= this.names().map((name) => toSpecTool(name, this.get(name)!));
      return this.#specTools;
    }
    return Object.entries(tools).map(([name, tool]) => {
      assertToolName(name);
      if (this.has(name)) throw duplicate(`Tool "${name}" is defined twice.`, name);
      return toSpecTool(name, tool);
    });
  }

  /**
   * Re-lists every source (in parallel; sources answer from a cache until
   * their list changes). Concurrent calls share one refresh.
   */
  refresh(): Promise<ToolSetRefreshResult> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Closes every source that can be closed; rethrows the first failure after trying all. */
  async close(): Promise<void> {
    const results = await Promise.allSettled(
      this.#sources.map(async (entry) => entry.source.close?.()),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async #refresh(): Promise<ToolSetRefreshResult> {
    const listed = await Promise.allSettled(this.#sources.map((entry) => entry.source.tools()));
    const failures: ToolSetRefreshResult['failures'] = [];
    const taken = new Set(this.#tools.keys());
    this.#sources.forEach((entry, index) => {
      const result = listed[index]!;
      const name = entry.source.name;
      if (result.status === 'rejected')
        failures.push({ source: name, error: sourceFailed(name, result.reason) });
      for (const warning of entry.source.takeWarnings?.() ?? [])
        failures.push({ source: name, error: warning });
      const candidates =
        result.status === 'fulfilled'
          ? Object.entries(result.value).map(
              ([toolName, tool]) => [toToolName(entry.prefix, toolName), tool] as const,
            )
          : [...entry.tools];
      const accepted = new Map<string, AgentTool>();
      for (const [fullName, tool] of candidates) {
        if (taken.has(fullName)) {
          failures.push({
            source: name,
            error: duplicate(
              `Tool "${fullName}" of source "${name}" is defined twice; it was left out.`,
              fullName,
            ),
          });
          continue;
        }
        try {
          toolInputJsonSchema(fullName, tool);
        } catch (error) {
          failures.push({ source: name, error: error as AgentCoreError });
          continue;
        }
        taken.add(fullName);
        accepted.set(fullName, tool);
      }
      entry.tools = accepted;
    });
    this.#specTools = undefined;
    return { failures };
  }
}

function duplicate(message: string, name: string): AgentCoreError {
  return new AgentCoreError({ code: 'CORE_DUPLICATE_TOOL', message, details: { name } });
}

function sourceFailed(source: string, error: unknown): SwitchboardError {
  if (SwitchboardError.isInstance(error)) return error;
  return new AgentCoreError({
    code: 'CORE_TOOL_SOURCE_FAILED',
    message: `Tool source "${source}" failed to list its tools: ${error instanceof Error ? error.message : String(error)}`,
    retryable: true,
    details: { source },
    cause: error,
  });
}
