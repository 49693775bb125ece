import { randomUUID } from 'node:crypto';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { EventBus, parseOptions } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';
import type { AgentHooks, HookName } from '../hooks/agent-hooks.js';
import { HookRunner } from '../hooks/hook-runner.js';
import { createSecretRedaction } from '../models/redact-secrets.js';
import { resolveModel } from '../models/resolve-model.js';
import { MemorySessionStore } from '../sessions/memory-session-store.js';
import type { SessionSnapshot, SessionStore } from '../sessions/session-snapshot.js';
import { createEmptySnapshot } from '../sessions/transcript.js';
import { ToolSet } from '../tools/tool-set.js';
import { createPriceTable } from '../usage/price-table.js';
import {
  agentOptionsSchema,
  type AgentOptions,
  type ResolvedAgentOptions,
} from './agent-options.js';
import { AgentSession } from './agent-session.js';
import type { AgentRuntime } from './run-state.js';
import { createSubagentTool, type SubagentTool } from './subagent-tool.js';

/**
 * An agent: a model (with fallbacks), instructions, tools and hooks. It owns
 * no conversation state; sessions do. Create one with {@link createAgent}.
 */
export class Agent {
  readonly name: string;
  /** Every event of every session of this agent goes here. */
  readonly bus: EventBus;
  readonly #options: ResolvedAgentOptions;
  readonly #runtime: AgentRuntime;
  readonly #store: SessionStore;
  readonly #models: LanguageModelV3[];

  constructor(options: AgentOptions) {
    const resolved = parseOptions(agentOptionsSchema, options, 'CORE_INVALID_OPTIONS');
    this.#options = resolved;
    this.name = resolved.name;
    if (resolved.model === undefined) {
      throw new AgentCoreError({
        code: 'CORE_NO_MODEL',
        message: 'No model configured.',
        hint: 'Pass model: "openai:<model>", "anthropic:<model>", "openai-compatible:<model>", "ollama:<model>" or a LanguageModelV3.',
      });
    }
    const env = resolved.env ?? process.env;
    this.#models = [resolved.model, ...resolved.fallbackModels].map((ref) =>
      resolveModel(ref, { ...(resolved.providers ?? {}), env }),
    );
    this.bus = resolved.bus ?? new EventBus({ onError: (error) => this.#report(error) });
    this.#store = resolved.store ?? new MemorySessionStore();
    const redaction = createSecretRedaction(resolved.redact, {
      ...(resolved.providers ? { providers: resolved.providers } : {}),
      env,
    });
    const hooks = new HookRunner({
      timeoutMs: resolved.hookTimeoutMs,
      hooks: resolved.hooks,
      onFailure: ({ hook, error }) =>
        this.#report(
          new AgentCoreError({
            code: 'CORE_HOOK_FAILED',
            message: redaction.redactor.text(
              `Hook ${hook} failed: ${(error as Error)?.message ?? String(error)}`,
            ),
            cause: error,
          }),
        ),
    });
    const tools = new ToolSet({ tools: resolved.tools, sources: resolved.toolSources });
    const prices = createPriceTable(resolved.prices);
    const now = resolved.now ?? Date.now;
    const generateId =
      resolved.generateId ?? ((prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '')}`);
    const instructions = resolved.instructions;
    this.#runtime = {
      options: resolved,
      name: resolved.name,
      bus: this.bus,
      hooks,
      tools,
      prices,
      redaction,
      models: () => this.#models,
      instructions: async (sessionId) =>
        typeof instructions === 'string' ? instructions : await instructions({ sessionId }),
      now,
      newId: generateId,
      reportError: (error) => this.#report(error),
    };
  }

  /** The models this agent calls, primary first. */
  get models(): readonly LanguageModelV3[] {
    return this.#models;
  }

  /** @internal What runs need from this agent (used for handoffs and sub-agents). */
  runtime(): AgentRuntime {
    return this.#runtime;
  }

  /**
   * This agent as a tool for another agent: the caller's model passes a task,
   * this agent works on it in a nested run, and its final answer is the result.
   */
  asTool(options: { description: string }): SubagentTool {
    return createSubagentTool(this, options.description);
  }

  /** Adds a hook handler (plugins use this); returns a function that removes it. */
  on<K extends HookName>(hook: K, handler: AgentHooks[K]): () => void {
    return this.#runtime.hooks.on(hook, handler);
  }

  /** Starts a new session. */
  async createSession(options: { id?: string; userId?: string } = {}): Promise<AgentSession> {
    const sessionId = options.id ?? this.#runtime.newId('ses');
    if (options.id !== undefined && (await this.#store.load(sessionId))) {
      throw new AgentCoreError({
        code: 'CORE_SESSION_EXISTS',
        message: `Session ${sessionId} already exists.`,
        hint: 'Use loadSession().',
      });
    }
    const snapshot = createEmptySnapshot({
      sessionId,
      agentName: this.name,
      ...(options.userId === undefined ? {} : { userId: options.userId }),
      now: this.#runtime.now(),
    });
    await this.#store.save(snapshot);
    return this.#open(snapshot, false);
  }

  /**
   * Loads a stored session (e.g. after a restart). A run that was in flight
   * when the process died is marked as interrupted; a run paused for approval
   * stays paused and can be resumed.
   */
  async loadSession(sessionId: string): Promise<AgentSession> {
    const snapshot = await this.#store.load(sessionId);
    if (!snapshot)
      throw new AgentCoreError({
        code: 'CORE_SESSION_NOT_FOUND',
        message: `No session ${sessionId}.`,
      });
    if (snapshot.status === 'running') {
      snapshot.status = 'idle';
      // Questions asked by a run that no longer exists can't be answered.
      snapshot.pending = snapshot.pending.filter(
        (request) => request.kind === 'approval' && snapshot.paused !== undefined,
      );
    }
    return this.#open(snapshot, true);
  }

  /** Closes tool sources (MCP servers). Sessions are closed on their own. */
  async close(): Promise<void> {
    await this.#runtime.tools.close();
    await this.bus.flush();
  }

  async #open(snapshot: SessionSnapshot, restored: boolean): Promise<AgentSession> {
    const session = new AgentSession(this.#runtime, this.#store, snapshot);
    this.bus.emit({
      type: 'session.started',
      sessionId: snapshot.sessionId,
      data: {
        agent: { name: this.name },
        ...(snapshot.userId ? { userId: snapshot.userId } : {}),
        ...(restored ? { restored: true } : {}),
      },
    });
    const model = this.#models[0]!;
    await this.#runtime.hooks.run('on_session_start', {
      sessionId: snapshot.sessionId,
      agentName: this.name,
      model: `${model.provider}:${model.modelId}`,
      platform: this.#options.platform,
      restored,
    });
    return session;
  }

  #report(error: Error): void {
    this.#options.onError?.(error);
  }
}

/** Creates an {@link Agent}. Options are validated once; bad options throw `CORE_INVALID_OPTIONS`. */
export function createAgent(options: AgentOptions): Agent {
  return new Agent(options);
}
