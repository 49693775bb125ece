import type { TitleSource } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { assertLoadable, type AttachmentLoader } from '../sessions/load-attachments.js';
import { SessionTitler } from '../titles/session-titler.js';
import { ProviderPromptCache } from '../sessions/provider-prompt-cache.js';
import { archiveWithSummary } from '../sessions/transcript.js';
import type {
  PendingRequest,
  SessionSnapshot,
  TranscriptEntry,
  UsageTotals,
} from '../sessions/session-snapshot.js';
import { endInterruptedRun, type InterruptedRun } from '../loop/interrupted-run.js';
import { createClarifyTool } from '../tools/built-in/clarify-tool.js';
import { createHandoffTool, handoffToolName } from '../tools/built-in/handoff-tool.js';
import { createRunHandle, type RunHandle, type RunResult } from './run-handle.js';
import { RunEmitter } from '../loop/run-emitter.js';
import { executeRun, type RunInput } from '../loop/run-loop.js';
import type { AgentRuntime, RunState, SessionCore } from '../loop/run-state.js';
import { ObservedEmitter, SessionWriter, type SessionOwnership } from './session-writer.js';
import { describeValue, lastUserText, normaliseInput, type UserInput } from '../loop/user-input.js';
import { waitForAnswer, type AnswerWaiters } from '../loop/wait-for-answer.js';

export type { UserInput } from '../loop/user-input.js';

/** Options of one run. */
export interface RunOptions {
  /** Cancels the run when aborted (same as `session.cancel()`). */
  signal?: AbortSignal;
  /** Loads `attachment:<id>` parts for the model; required for a message that has one. */
  attachments?: AttachmentLoader;
}

/** An answer to a pending request. */
export type RequestResponse =
  /** An approval; `always` also approves this tool for the rest of the session. */
  | { approved: boolean; reason?: string; always?: boolean }
  /** An answer to an `ask_user` question. */
  | { answer: string };

/** @internal What a session offers besides the agent's options (`agent.run` turns both off). */
export interface SessionFeatures {
  /** Offer the built-in `ask_user` tool (when the agent's `clarify` option allows it). @default true */
  askUser?: boolean;
  /** Generate a title after the first exchange (when the agent's `titles` option allows it). @default true */
  titles?: boolean;
}

interface ActiveRun {
  runId: string;
  controller: AbortController;
  done: Promise<RunResult>;
}

/**
 * One conversation with an agent. At most one run is active at a time;
 * `steer`, `respond` and `cancel` may be called from anywhere while it runs.
 * Everything needed to continue (transcript, pending requests, a paused
 * step) is checkpointed to the store, so a session can be loaded and resumed
 * in another process.
 */
export class AgentSession {
  #runtime: AgentRuntime;
  #snapshot: SessionSnapshot;
  #active: ActiveRun | undefined;
  #steers: Array<{ steerId: string; text: string }> = [];
  readonly #waiters: AnswerWaiters = new Map();
  readonly #writer: SessionWriter;
  readonly #titler: SessionTitler;
  /** The transcript's provider prompt, kept converted between steps. */
  readonly #prompts = new ProviderPromptCache();
  readonly #onClosed: (() => void) | undefined;
  readonly #features: SessionFeatures;

  /** @internal Use `agent.createSession()` or `agent.loadSession()`. */
  constructor(
    runtime: AgentRuntime,
    snapshot: SessionSnapshot,
    ownership: SessionOwnership & { features?: SessionFeatures },
  ) {
    this.#runtime = runtime;
    this.#snapshot = snapshot;
    this.#onClosed = ownership.onClosed;
    this.#features = ownership.features ?? {};
    this.#writer = new SessionWriter({
      ownership,
      snapshot: () => this.#snapshot,
      runtime: () => this.#runtime,
      // Another writer has the session: stop the run; the handle refuses further work.
      onLost: (error) => this.#active?.controller.abort(error),
    });
    this.#titler = new SessionTitler({
      runtime: () => this.#runtime,
      snapshot: () => this.#snapshot,
      // A title is not activity: it keeps the session's place in lists (updatedAt).
      checkpoint: () => this.#writer.checkpoint({ activity: false }),
    });
  }

  get id(): string {
    return this.#snapshot.sessionId;
  }

  /** `idle`, `running`, `awaiting_input` or `closed`. */
  get status(): SessionSnapshot['status'] {
    return this.#snapshot.status;
  }

  /** The session's title, once it has one (see `setTitle` and the `titles` agent option). */
  get title(): string | undefined {
    return this.#snapshot.title;
  }

  /** Who set {@link title}: `user`, `model` or `fallback`. */
  get titleSource(): TitleSource | undefined {
    return this.#snapshot.titleSource;
  }

  /**
   * Names the session: whitespace collapsed, 1 to 200 characters
   * (`CORE_INVALID_INPUT` otherwise), emitted as `session.title_updated
   * {source: 'user'}` and saved. It wins over a title being generated, which
   * is dropped. Allowed while a run is active.
   */
  async setTitle(title: string): Promise<void> {
    if (this.#writer.lost) throw this.#writer.lost;
    if (this.#snapshot.status === 'closed')
      throw new AgentCoreError({
        code: 'CORE_SESSION_CLOSED',
        message: `Session ${this.id} is closed; the title was not changed.`,
      });
    await this.#titler.set(title);
  }

  /** The whole transcript, display metadata included (a copy). */
  get transcript(): TranscriptEntry[] {
    return structuredClone(this.#snapshot.transcript);
  }

  /**
   * The model id the session's next run uses: the one picked with
   * `createSession({ model })` or {@link setModel}, else the agent's default.
   * A stored pick the agent no longer offers runs on the default (and reads
   * as it here) until another is set.
   */
  get model(): string {
    return this.#runtime.models.forRun(this.#snapshot.model).id;
  }

  /**
   * Picks the model of the session's runs (one of `agent.models`;
   * `CORE_MODEL_NOT_ALLOWED` otherwise) and saves it in the snapshot. It
   * applies from the next run: a run already going keeps the model its
   * `run.started` named, so its steps never switch model half-way. Resolves
   * once the choice is saved.
   */
  async setModel(model: string): Promise<void> {
    if (this.#writer.lost) throw this.#writer.lost;
    if (this.#snapshot.status === 'closed')
      throw new AgentCoreError({
        code: 'CORE_SESSION_CLOSED',
        message: `Session ${this.id} is closed; its model was not changed.`,
      });
    this.#snapshot.model = this.#runtime.models.check(model);
    await this.#writer.checkpoint();
  }

  /** Token, cost and call totals of the session. */
  get usage(): UsageTotals {
    return structuredClone(this.#snapshot.totals);
  }

  /** Requests waiting for `respond()`. */
  pendingRequests(): PendingRequest[] {
    return structuredClone(this.#snapshot.pending.filter((request) => !request.response));
  }

  /** A JSON-safe copy of everything the store persists. */
  snapshot(): SessionSnapshot {
    return structuredClone(this.#snapshot);
  }

  /** Starts a run for a user message. */
  run(input: UserInput, options: RunOptions = {}): RunHandle {
    this.#assertCanStart();
    if (this.#snapshot.status === 'awaiting_input') {
      throw new AgentCoreError({
        code: 'CORE_SESSION_AWAITING_INPUT',
        message: `Session ${this.id} is waiting for ${this.pendingRequests().length} answer(s).`,
        hint: 'Answer with respond(requestId, …) and call resume().',
      });
    }
    const normalised = normaliseInput(
      input,
      () => this.#runtime.newId('msg'),
      (text) => this.#userText(text),
    );
    assertLoadable(normalised.parts, options.attachments);
    return this.#start({ trigger: 'user', input: normalised, options });
  }

  /** User text as it may be emitted and stored: redacted when `redact.userText` is on. */
  #userText(text: string): string {
    const { redaction } = this.#runtime;
    return redaction.userText ? redaction.redactor.text(text) : text;
  }

  /** Continues a run that paused for approvals, once every request has an answer. */
  resume(options: RunOptions = {}): RunHandle {
    this.#assertCanStart();
    if (this.#snapshot.status !== 'awaiting_input' || !this.#snapshot.paused) {
      throw new AgentCoreError({
        code: 'CORE_NOTHING_TO_RESUME',
        message: `Session ${this.id} has no paused run.`,
      });
    }
    const unanswered = this.#snapshot.pending.filter((request) => !request.response);
    if (unanswered.length > 0) {
      throw new AgentCoreError({
        code: 'CORE_PENDING_UNANSWERED',
        message: `${unanswered.length} request(s) still need an answer before resume().`,
        details: { requestIds: unanswered.map((request) => request.requestId) },
      });
    }
    return this.#start({ trigger: 'resume', input: { kind: 'resume' }, options });
  }

  /** Answers an approval or clarify request. */
  async respond(requestId: string, response: RequestResponse): Promise<void> {
    if (this.#writer.lost) throw this.#writer.lost;
    const request = this.#snapshot.pending.find(
      (candidate) => candidate.requestId === requestId && !candidate.response,
    );
    if (!request) {
      throw new AgentCoreError({
        code: 'CORE_NO_PENDING_REQUEST',
        message: `No open request ${requestId} in session ${this.id}.`,
      });
    }
    if (request.kind === 'approval') {
      if (!('approved' in response) || typeof response.approved !== 'boolean') {
        throw new AgentCoreError({
          code: 'CORE_INVALID_RESPONSE',
          message: `Request ${requestId} is an approval: answer { approved: boolean }.`,
        });
      }
      const always = response.approved && response.always === true;
      request.response = {
        approved: response.approved,
        ...(response.reason ? { reason: response.reason } : {}),
        ...(always ? { always: true } : {}),
      };
      // "Always allow": this tool runs without asking for the rest of the session (until reset).
      if (always && !this.#snapshot.approvedTools?.includes(request.toolName)) {
        this.#snapshot.approvedTools = [...(this.#snapshot.approvedTools ?? []), request.toolName];
      }
    } else {
      if (!('answer' in response) || typeof response.answer !== 'string') {
        throw new AgentCoreError({
          code: 'CORE_INVALID_RESPONSE',
          message: `Request ${requestId} is a question: answer { answer: string }.`,
        });
      }
      request.response = { answer: response.answer, source: 'user' };
      this.#waiters.get(requestId)?.({ answer: response.answer, source: 'user' });
    }
    await this.#writer.checkpoint();
  }

  /**
   * Sends guidance to the running agent. It is added after the next tool
   * results (`steer.applied{mode: 'tool_boundary'}`) or, if the run ends
   * first, becomes part of the next user message (`mode: 'next_message'`).
   */
  steer(text: string): { steerId: string } {
    if (this.#writer.lost) throw this.#writer.lost;
    if (this.#snapshot.status === 'closed')
      throw new AgentCoreError({
        code: 'CORE_SESSION_CLOSED',
        message: `Session ${this.id} is closed; the steer was not accepted.`,
      });
    if (typeof text !== 'string')
      throw new AgentCoreError({
        code: 'CORE_INVALID_INPUT',
        message: `Steer text must be a string, got ${describeValue(text)}.`,
      });
    if (text.trim() === '')
      throw new AgentCoreError({ code: 'CORE_EMPTY_INPUT', message: 'Steer text is empty.' });
    const steerId = this.#runtime.newId('str');
    text = this.#userText(text);
    if (this.#active) {
      this.#steers.push({ steerId, text });
      new RunEmitter(this.#runtime.bus, { sessionId: this.id, runId: this.#active.runId }).emit(
        'steer.accepted',
        { steerId, text },
      );
    } else {
      this.#snapshot.queuedSteers.push({ steerId, text });
      void this.#writer.checkpoint();
    }
    return { steerId };
  }

  /** Cancels the active run, keeping what was produced so far. No-op when idle. */
  cancel(reason = 'cancelled'): void {
    this.#active?.controller.abort(new AgentCoreError({ code: 'CORE_CANCELLED', message: reason }));
  }

  /** Clears the conversation (transcript, pending requests, turn counter). */
  async reset(): Promise<void> {
    if (this.#writer.lost) throw this.#writer.lost;
    this.cancel('session reset');
    await this.#active?.done;
    await this.#titler.stop();
    const { sessionId, agentName, createdAt, userId } = this.#snapshot;
    this.#snapshot = {
      ...this.#snapshot,
      sessionId,
      agentName,
      createdAt,
      ...(userId === undefined ? {} : { userId }),
      status: 'idle',
      turn: 0,
      transcript: [],
      pending: [],
      paused: undefined,
      queuedSteers: [],
      approvedTools: undefined,
    };
    this.#runtime.bus.emit({ type: 'session.ended', sessionId, data: { reason: 'reset' } });
    await this.#runtime.hooks.run('on_session_reset', { sessionId });
    this.#runtime.bus.emit({
      type: 'session.started',
      sessionId,
      data: { agent: { name: agentName } },
    });
    await this.#writer.checkpoint();
  }

  /** `await using` support: the same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Cancels any active run, saves, and closes the session for good. The
   * handle gives up its lease and everything this process kept for the
   * session (the bus's sequence of it, timers, the agent's registry entry);
   * the stored session stays.
   */
  async close(): Promise<void> {
    if (this.#snapshot.status === 'closed') return;
    this.cancel('session closed');
    await this.#active?.done;
    await this.#titler.stop(); // a title still being generated is dropped (the next exchange retries)
    this.#snapshot.status = 'closed';
    const bus = this.#runtime.bus;
    if (!this.#writer.lost) {
      bus.emit({ type: 'session.ended', sessionId: this.id, data: { reason: 'closed' } });
      await this.#runtime.hooks.run('on_session_finalize', { sessionId: this.id });
      await this.#writer.checkpoint();
    }
    await this.#writer.release();
    await bus.flush();
    bus.forgetSession(this.id);
    this.#onClosed?.();
  }

  /**
   * @internal Ends a run found in flight when the session was loaded (its
   * process died): what it streamed becomes transcript entries marked
   * `interrupted`, and the run gets its one terminal event,
   * `run.finished { stopReason: 'interrupted' }` (unless the event log shows
   * it already ended).
   */
  async endInterruptedRun(run: InterruptedRun): Promise<void> {
    endInterruptedRun(run, {
      emitter: new RunEmitter(this.#runtime.bus, { sessionId: this.id, runId: run.runId }),
      session: this.#core(),
      now: () => this.#runtime.now(),
    });
    await this.#writer.checkpoint();
  }

  /** @internal Saves the snapshot now (the agent does after opening a session). */
  checkpoint(): Promise<void> {
    return this.#writer.checkpoint();
  }

  /**
   * Resolves when the active run (if any) has finished, the session title
   * being generated after it (if any) is set, and the snapshot is saved.
   */
  async idle(): Promise<void> {
    await this.#active?.done;
    await this.#titler.settled;
    await this.#writer.saving;
  }

  #assertCanStart(): void {
    if (this.#writer.lost) throw this.#writer.lost;
    if (this.#snapshot.status === 'closed') {
      throw new AgentCoreError({
        code: 'CORE_SESSION_CLOSED',
        message: `Session ${this.id} is closed.`,
      });
    }
    if (this.#active) {
      throw new AgentCoreError({
        code: 'CORE_SESSION_BUSY',
        message: `Session ${this.id} already has an active run (${this.#active.runId}).`,
        hint: 'Steer it, cancel it, or wait for it to finish.',
      });
    }
  }

  #start({
    trigger,
    input,
    options,
    runId = this.#runtime.newId('run'),
    handoffFromRunId,
  }: {
    trigger: 'user' | 'resume' | 'handoff';
    input: RunInput;
    options: RunOptions;
    runId?: string;
    handoffFromRunId?: string;
  }): RunHandle {
    const runtime = this.#runtime;
    const controller = new AbortController();
    const signal = options.signal
      ? AbortSignal.any([options.signal, controller.signal])
      : controller.signal;
    this.#snapshot.turn += 1;
    this.#snapshot.activeRun = { runId, startedAt: runtime.now() };
    const emitter = new ObservedEmitter(runtime.bus, { sessionId: this.id, runId }, (event) =>
      this.#writer.observe(event),
    );
    const session = this.#core();
    const run: RunState = {
      agent: runtime,
      session,
      runId,
      turn: this.#snapshot.turn,
      trigger,
      emitter,
      model: runtime.models.forRun(this.#snapshot.model),
      signal,
      ...(options.attachments ? { attachments: options.attachments } : {}),
      ...(handoffFromRunId === undefined ? {} : { handoffFromRunId }),
      localTools: {},
      userMessage: input.kind === 'user' ? input.text : lastUserText(this.#snapshot.transcript),
      usage: {},
      costUsd: undefined,
      modelCalls: 0,
      lastText: '',
      nextStepIndex: 0,
    };
    const clarify = runtime.options.clarify;
    if (clarify !== false && this.#features.askUser !== false)
      run.localTools.ask_user = createClarifyTool(run, clarify);
    for (const target of runtime.options.handoffs)
      run.localTools[handoffToolName(target)] = createHandoffTool(run, target);
    const done = executeRun(run, input).then((result) => {
      if (this.#active?.runId === runId) this.#active = undefined;
      if (run.handoff && result.stopReason === 'completed') {
        // The conversation continues with the target agent, in the run the handoff event announced.
        // Its events stay on this session's bus, so one stream tells the whole conversation.
        this.#runtime = { ...run.handoff.target.runtime(), bus: runtime.bus };
        this.#snapshot.agentName = run.handoff.target.name;
        this.#start({
          trigger: 'handoff',
          input: { kind: 'continue' },
          options,
          runId: run.handoff.toRunId,
          handoffFromRunId: runId,
        });
      } else if (!this.#writer.lost) {
        // In the background, after the terminal event: neither this run nor the next waits for it.
        if (this.#features.titles !== false) this.#titler.afterRun(result);
      }
      return result;
    });
    this.#active = { runId, controller, done };
    return createRunHandle({
      bus: runtime.bus,
      runId,
      result: done,
      cancel: (reason) => controller.abort(reason),
    });
  }

  #core(): SessionCore {
    return {
      id: this.id,
      snapshot: this.#snapshot,
      checkpoint: () => this.#writer.checkpoint(),
      addEntry: (entry) => {
        const full: TranscriptEntry = { ...entry, id: entry.id ?? this.#runtime.newId('msg') };
        this.#snapshot.transcript.push(full);
        this.#writer.entryAdded(full);
        return full;
      },
      compactTranscript: (edit) => {
        archiveWithSummary(this.#snapshot.transcript, edit);
        this.#prompts.invalidate();
      },
      providerPrompt: (system) => this.#prompts.prompt(system, this.#snapshot.transcript),
      estimatePromptTokens: (system) =>
        this.#prompts.estimateTokens(system, this.#snapshot.transcript),
      takeSteers: () => this.#steers.splice(0),
      waitForAnswer: (request, signal) => waitForAnswer(this.#waiters, request, signal),
    };
  }
}
