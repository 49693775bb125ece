import { randomUUID } from 'node:crypto';
import { EventBus, type AnyEvent } from '@switchboard/events';
import { AgentCoreError, parseCoreOptions } from '../errors/agent-core-error.js';
import type { AgentHooks, HookName } from '../hooks/agent-hooks.js';
import { HookRunner } from '../hooks/hook-runner.js';
import { createModelInfoTable } from '../models/model-info.js';
import { createSecretRedaction } from '../models/redact-secrets.js';
import { ModelCatalog } from '../models/model-catalog.js';
import { resolveModel } from '../models/resolve-model.js';
import { MemorySessionStore } from '../sessions/memory-session-store.js';
import { toCheckpoint } from '../sessions/session-checkpoint.js';
import { newLeaseOwner } from '../sessions/session-lease.js';
import type {
  SessionLease,
  SessionListOptions,
  SessionPage,
  SessionSnapshot,
  SessionStore,
} from '../sessions/session-snapshot.js';
import { restampEvents } from '../sessions/restamp-events.js';
import { sessionFromEvents } from '../sessions/session-from-events.js';
import { createEmptySnapshot } from '../sessions/transcript.js';
import { normaliseUserTitle } from '../titles/sanitize-title.js';
import { ToolSet } from '../tools/tool-set.js';
import { createPriceTable } from '../usage/price-table.js';
import {
  agentOptionsSchema,
  type AgentOptions,
  type ResolvedAgentOptions,
} from './agent-options.js';
import { AgentSession, type RunOptions, type SessionFeatures } from './agent-session.js';
import type { RunResult } from './run-handle.js';
import { SEQ_RESERVE, type SessionOwnership } from './session-writer.js';
import { findInterruptedRun } from '../loop/interrupted-run.js';
import { executeRun } from '../loop/run-loop.js';
import type { AgentRuntime } from '../loop/run-state.js';
import { createSubagentTool, type SubagentTool } from '../tools/built-in/subagent-tool.js';
import type { UserInput } from '../loop/user-input.js';

/** What {@link Agent.createSession} takes. */
export interface CreateSessionOptions {
  /** The session's id; a new one when omitted. Refused when taken (`CORE_SESSION_EXISTS`). */
  id?: string;
  userId?: string;
  /** Names the session from the start (no title is generated). */
  title?: string;
  /**
   * One of `agent.models` (`CORE_MODEL_NOT_ALLOWED` otherwise) for the
   * session's runs. @default the agent's `model`
   */
  model?: string;
}

/** What {@link Agent.run} takes: a run's options, and the session's. */
export interface AgentRunOptions extends RunOptions {
  /** One of `agent.models` for this run. @default the agent's `model` */
  model?: string;
  userId?: string;
}

/**
 * Session handles open in this process, per store: one writer per session
 * in a process (across processes, the store's lease). Weak, so a handle
 * dropped without close() does not pin its session in memory.
 */
const openSessions = new WeakMap<SessionStore, Map<string, WeakRef<AgentSession>>>();

function openHandle(store: SessionStore, sessionId: string): AgentSession | undefined {
  return openSessions.get(store)?.get(sessionId)?.deref();
}

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
  readonly #models: ModelCatalog;

  constructor(options: AgentOptions) {
    const resolved = parseCoreOptions(agentOptionsSchema, options);
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
    this.#models = new ModelCatalog({
      model: resolved.model,
      models: resolved.models,
      fallbackModels: resolved.fallbackModels,
      settings: { ...(resolved.providers ?? {}), env },
    });
    const titleModel =
      resolved.titles.model === undefined
        ? undefined
        : resolveModel(resolved.titles.model, { ...(resolved.providers ?? {}), env });
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
    const modelInfo = createModelInfoTable(resolved.modelInfo);
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
      modelInfo,
      redaction,
      models: this.#models,
      titleModel: () => titleModel ?? this.#models.forRun(undefined).primary,
      instructions: async (sessionId) =>
        typeof instructions === 'string' ? instructions : await instructions({ sessionId }),
      now,
      newId: generateId,
      reportError: (error) => this.#report(error),
      executeRun,
    };
  }

  /**
   * Ids of the models sessions of this agent may use: the default (`model`)
   * first, then the `models` option. A model string is its own id
   * (`openai:gpt-4o-mini`); a model object's is `<provider>:<modelId>`.
   * Fallback models are not on it: they stand in, they are not chosen.
   */
  get models(): readonly string[] {
    return this.#models.ids;
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

  /**
   * Starts a new session; this handle holds it (see {@link loadSession}).
   * `model` picks one of {@link models} for its runs (default: the agent's
   * `model`); it is kept in the snapshot, and `session.setModel()` changes it.
   * A `title` names it from the start (as `setTitle` would; `session.started`
   * carries it), so no title is generated.
   */
  createSession(options: CreateSessionOptions = {}): Promise<AgentSession> {
    return this.#createSession(options);
  }

  async #createSession(
    options: CreateSessionOptions,
    features?: SessionFeatures,
  ): Promise<AgentSession> {
    const model =
      options.model === undefined ? this.#models.defaultId : this.#models.check(options.model);
    const sessionId = options.id ?? this.#runtime.newId('ses');
    const title = options.title === undefined ? undefined : normaliseUserTitle(options.title);
    const snapshot = createEmptySnapshot({
      sessionId,
      agentName: this.name,
      ...(options.userId === undefined ? {} : { userId: options.userId }),
      model,
      ...(title === undefined ? {} : { title }),
      now: this.#runtime.now(),
    });
    const owner = newLeaseOwner();
    const lease = await this.#saveNew(snapshot, owner, model);
    await this.#followLog(sessionId);
    const session = this.#handle(snapshot, { owner, lease }, features);
    this.#emitStarted(snapshot, false);
    await this.#runtime.hooks.run('on_session_start', {
      sessionId,
      agentName: this.name,
      model,
      platform: this.#options.platform,
      restored: false,
    });
    return session;
  }

  /**
   * One message, one answer, nothing kept: the quickest way to use an agent.
   * Runs `input` in a session of its own, then closes and deletes it (from
   * the store, and its events from the bus's event log), and resolves to the
   * run's result (`text`, `usage`, `costUsd`, `stopReason`, `error`, …). It
   * never rejects for a failed run (`stopReason: 'failed'` and `error` say
   * so); bad input throws as `session.run()` does, leaving nothing behind.
   * While it runs, its events reach `agent.bus` like any session's (listen
   * there to stream them).
   *
   * Nobody can answer the session afterwards, so the built-in `ask_user`
   * tool is not offered, and a tool that needs approval ends the run with
   * `stopReason: 'awaiting_input'`. Nobody lists it either: no title is
   * generated. For a conversation, approvals or
   * anything to keep, use {@link createSession}.
   */
  async run(input: UserInput, options: AgentRunOptions = {}): Promise<RunResult> {
    const { model, userId, ...runOptions } = options;
    const session = await this.#createSession(
      {
        ...(model === undefined ? {} : { model }),
        ...(userId === undefined ? {} : { userId }),
      },
      { askUser: false, titles: false },
    );
    try {
      return await session.run(input, runOptions).result;
    } finally {
      await this.deleteSession(session.id);
    }
  }

  /**
   * Creates a session from another session's events (an exported event
   * log, e.g. its JSONL file): a new session (`id`, or a generated one)
   * whose log holds those events re-stamped to it (`seq` 1…n in order, run
   * and message ids, times and payloads kept; a run left unfinished is
   * finished `interrupted`), stored in the bus's event log, and whose
   * transcript, usage totals and paused approvals are rebuilt from them, so
   * it shows the same conversation and the next run continues it (a run
   * paused for approval can be answered and resumed). Events are not
   * published to subscribers: they are history. Returns the handle, as
   * {@link createSession} does (hooks do not run).
   *
   * Events of more than one session or out of order throw
   * `CORE_INVALID_IMPORT`, a taken `id` `CORE_SESSION_EXISTS`; nothing is
   * stored then. Validate untrusted input with the events package's
   * `parseEvent` first.
   */
  async importSession(
    events: readonly AnyEvent[],
    options: { id?: string; userId?: string } = {},
  ): Promise<AgentSession> {
    const sessionId = options.id ?? this.#runtime.newId('ses');
    const restamped = restampEvents(events, sessionId);
    const last = restamped.at(-1)!;
    const now = this.#runtime.now();
    const snapshot: SessionSnapshot = {
      ...createEmptySnapshot({
        sessionId,
        agentName: this.name,
        ...(options.userId === undefined ? {} : { userId: options.userId }),
        now,
      }),
      ...sessionFromEvents(restamped, (prefix) => this.#runtime.newId(prefix)),
      eventHead: { seq: last.seq, ts: last.ts },
    };
    const owner = newLeaseOwner();
    const lease = await this.#saveNew(snapshot, owner, this.#models.defaultId);
    const log = this.bus.log;
    if (log) {
      try {
        await log.append(restamped);
      } catch (error) {
        await this.#store.delete(sessionId); // the session does not exist without its events
        throw error;
      }
      await this.#followLog(sessionId);
    } else {
      this.bus.restoreSession(sessionId, snapshot.eventHead!);
    }
    return this.#handle(snapshot, { owner, lease });
  }

  /**
   * Loads a stored session (e.g. after a restart) and takes its writer
   * lease: a session open in another handle of this process, or in another
   * live process, is refused with `CORE_SESSION_LOCKED` (a lease is free
   * once its holder closes the session, dies on this host, or lets it
   * expire). A run that was in flight when its process died ends here with
   * `run.finished { stopReason: 'interrupted' }`, its streamed text kept in
   * the transcript marked `interrupted`; a run paused for approval stays
   * paused and can be resumed. `session.started { restored: true }` is
   * emitted; the `on_session_start` hook is not run again.
   */
  async loadSession(sessionId: string): Promise<AgentSession> {
    const open = openHandle(this.#store, sessionId);
    if (open && open.status !== 'closed') {
      throw new AgentCoreError({
        code: 'CORE_SESSION_LOCKED',
        message: `Session ${sessionId} is already open in this process.`,
        hint: 'Use the open handle, or close() it before loading the session again.',
        details: { sessionId },
      });
    }
    const owner = newLeaseOwner();
    const lease = await this.#store.acquireLease(sessionId, owner);
    const snapshot = lease && (await this.#store.load(sessionId));
    if (!lease || !snapshot)
      throw new AgentCoreError({
        code: 'CORE_SESSION_NOT_FOUND',
        message: `No session ${sessionId}.`,
      });
    const interrupted = await findInterruptedRun(snapshot, this.bus.log);
    this.#continueNumbering(snapshot, interrupted !== undefined);
    await this.#followLog(sessionId);
    const session = this.#handle(snapshot, { owner, lease });
    this.#emitStarted(snapshot, true);
    await session.recoverFromCrash(interrupted); // and saves: session.started's number is durable
    return session;
  }

  /**
   * Deletes a stored session for good: its snapshot and transcript, and its
   * events in the bus's event log (`bus.deleteSession`). An
   * open handle of this process is closed first; a session open in another
   * live process is refused with `CORE_SESSION_LOCKED`. Deleting an unknown
   * id does nothing.
   */
  async deleteSession(sessionId: string): Promise<void> {
    const open = openHandle(this.#store, sessionId);
    if (open) await open.close();
    const owner = newLeaseOwner();
    await this.#store.acquireLease(sessionId, owner); // refuses while another process holds it
    await this.#store.delete(sessionId);
    await this.bus.deleteSession(sessionId); // its logged events, and the bus forgets it
  }

  /** `await using` support: the same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * A page of the store's sessions, most recently updated first, with what a
   * session list shows: `{ sessionId, agentName, title, titleSource, model,
   * createdAt, updatedAt, messageCount, costUsd, status }`. `limit` sizes the
   * page, `cursor` is the previous page's `nextCursor`, `q` keeps sessions
   * whose title contains it (case-insensitive). Reads no transcript.
   */
  listSessions(options: SessionListOptions = {}): Promise<SessionPage> {
    return this.#store.list(options);
  }

  /** Closes tool sources (MCP servers). Sessions are closed on their own. */
  async close(): Promise<void> {
    await this.#runtime.tools.close();
    await this.bus.flush();
  }

  /** Stores a new session; `CORE_SESSION_EXISTS` when its id is taken. */
  async #saveNew(snapshot: SessionSnapshot, owner: string, model: string): Promise<SessionLease> {
    try {
      // Revision 0 creates: refused when the id is taken, also by another process at the same moment.
      return await this.#store.save(
        toCheckpoint(snapshot, {
          baseRevision: 0,
          owner,
          from: 0,
          model,
        }),
      );
    } catch (error) {
      if (error instanceof AgentCoreError && error.code === 'CORE_SESSION_CONFLICT') {
        throw new AgentCoreError({
          code: 'CORE_SESSION_EXISTS',
          message: `Session ${snapshot.sessionId} already exists.`,
          hint: 'Use loadSession().',
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * Without an event log, the bus of a new process would number a stored
   * session from 1 again: continue from the snapshot's `eventHead` instead,
   * skipping {@link SEQ_RESERVE} numbers after a crash (the dead process may
   * have numbered events past its last checkpoint). With a log, the log's
   * head is the truth and the bus reads it itself.
   */
  #continueNumbering(snapshot: SessionSnapshot, crashed: boolean): void {
    if (this.bus.log || !snapshot.eventHead) return;
    const seq = snapshot.eventHead.seq + (crashed ? SEQ_RESERVE : 0);
    if ((this.bus.head(snapshot.sessionId)?.seq ?? 0) < seq)
      this.bus.restoreSession(snapshot.sessionId, { seq, ts: snapshot.eventHead.ts });
  }

  /**
   * With a log whose `head` is asynchronous (a database shared by several
   * instances), the bus cannot read where a session stands when it first
   * emits for it: tell it now. Called once this handle holds the session's
   * lease, so no other instance appends meanwhile; it also replaces a
   * numbering this bus remembers from before another instance wrote the
   * session. A synchronous log is read by the bus itself.
   */
  async #followLog(sessionId: string): Promise<void> {
    const head = this.bus.log?.head(sessionId);
    if (head instanceof Promise) this.bus.restoreSession(sessionId, await head);
  }

  #handle(
    snapshot: SessionSnapshot,
    ownership: { owner: string; lease: SessionOwnership['lease'] },
    features?: SessionFeatures,
  ): AgentSession {
    const store = this.#store;
    const sessionId = snapshot.sessionId;
    let handles = openSessions.get(store);
    if (!handles) {
      handles = new Map<string, WeakRef<AgentSession>>();
      openSessions.set(store, handles);
    }
    const session: AgentSession = new AgentSession(this.#runtime, snapshot, {
      ...ownership,
      store,
      onClosed: () => {
        if (handles.get(sessionId)?.deref() === session) handles.delete(sessionId);
      },
      ...(features ? { features } : {}),
    });
    handles.set(sessionId, new WeakRef(session));
    return session;
  }

  #emitStarted(snapshot: SessionSnapshot, restored: boolean): void {
    this.bus.emit({
      type: 'session.started',
      sessionId: snapshot.sessionId,
      data: {
        agent: { name: this.name },
        ...(snapshot.userId ? { userId: snapshot.userId } : {}),
        ...(snapshot.title === undefined
          ? {}
          : {
              title: snapshot.title,
              ...(snapshot.titleSource ? { titleSource: snapshot.titleSource } : {}),
            }),
        ...(restored ? { restored: true } : {}),
      },
    });
  }

  #report(error: Error): void {
    this.#options.onError?.(error);
  }
}

/** Creates an {@link Agent}. Options are validated once; bad options throw `CORE_INVALID_OPTIONS`. */
export function createAgent(options: AgentOptions): Agent {
  return new Agent(options);
}
