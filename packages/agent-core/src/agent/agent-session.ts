import type { TitleSource } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { assertLoadable } from '../sessions/load-attachments.js';
import { SessionTitler } from '../titles/session-titler.js';
import type {
  PendingRequest,
  SessionSnapshot,
  TranscriptEntry,
  UsageTotals,
} from '../sessions/session-snapshot.js';
import { SessionState } from '../sessions/session-state.js';
import { endInterruptedRun, type InterruptedRun } from '../loop/interrupted-run.js';
import type { RunHandle } from './run-handle.js';
import { RunEmitter } from '../loop/run-emitter.js';
import type { AgentRuntime, SessionCore } from '../loop/run-state.js';
import { SessionRunner } from './session-runner.js';
import { SessionWriter, type SessionOwnership } from './session-writer.js';
import { checkSteerText, normaliseInput, type UserInput } from '../loop/user-input.js';
import type { RequestResponse, RunOptions, SessionFeatures } from './session-options.js';
import { waitForAnswer, type AnswerWaiters } from '../loop/wait-for-answer.js';

export type { UserInput } from '../loop/user-input.js';

export type { RequestResponse, RunOptions, SessionFeatures } from './session-options.js';

/** What was spoken of a voice reply before the user cut in (see `truncateReply`). */
export interface SpokenReply {
  /** The reply's words as far as they were spoken (only their count matters). */
  spokenText: string;
  /** Audio played before the cut. */
  spokenMs: number;
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
  /** The snapshot's one owner: every change goes through its intent methods. */
  readonly #state: SessionState;
  /** The one run going at a time, and what follows it (a handoff, a title). */
  readonly #runner: SessionRunner;
  #steers: Array<{ steerId: string; text: string }> = [];
  readonly #waiters: AnswerWaiters = new Map();
  readonly #writer: SessionWriter;
  readonly #titler: SessionTitler;
  readonly #onClosed: (() => void) | undefined;
  readonly #features: SessionFeatures;

  /** @internal Use `agent.createSession()` or `agent.loadSession()`. */
  constructor(
    runtime: AgentRuntime,
    snapshot: SessionSnapshot,
    ownership: SessionOwnership & { features?: SessionFeatures },
  ) {
    this.#runtime = runtime;
    this.#state = new SessionState(snapshot, { revision: ownership.lease.revision });
    this.#onClosed = ownership.onClosed;
    this.#features = ownership.features ?? {};
    this.#writer = new SessionWriter({
      ownership,
      state: this.#state,
      runtime: () => this.#runtime,
      // Another writer has the session: stop the run; the handle refuses further work.
      onLost: (error) => this.#runner.abort(error),
    });
    this.#titler = new SessionTitler({
      runtime: () => this.#runtime,
      state: this.#state,
      // A title is not activity: it keeps the session's place in lists (updatedAt).
      checkpoint: () => this.#writer.checkpoint({ activity: false }),
    });
    this.#runner = new SessionRunner({
      state: this.#state,
      writer: this.#writer,
      titler: this.#titler,
      features: this.#features,
      runtime: () => this.#runtime,
      handOff: (runtime, agentName) => {
        this.#runtime = runtime;
        this.#state.handOff(agentName);
      },
      core: () => this.#core(),
    });
  }

  get id(): string {
    return this.#state.snapshot.sessionId;
  }

  /** `idle`, `running`, `awaiting_input` or `closed`. */
  get status(): SessionSnapshot['status'] {
    return this.#state.snapshot.status;
  }

  /** The session's title, once it has one (see `setTitle` and the `titles` agent option). */
  get title(): string | undefined {
    return this.#state.snapshot.title;
  }

  /** Who set {@link title}: `user`, `model` or `fallback`. */
  get titleSource(): TitleSource | undefined {
    return this.#state.snapshot.titleSource;
  }

  /**
   * Names the session: whitespace collapsed, 1 to 200 characters
   * (`CORE_INVALID_INPUT` otherwise), emitted as `session.title_updated
   * {source: 'user'}` and saved. It wins over a title being generated, which
   * is dropped. Allowed while a run is active.
   */
  async setTitle(title: string): Promise<void> {
    if (this.#writer.lost) throw this.#writer.lost;
    this.#assertOpen('the title was not changed');
    await this.#titler.set(title);
  }

  /** The whole transcript, display metadata included (a copy). */
  get transcript(): TranscriptEntry[] {
    return structuredClone(this.#state.snapshot.transcript);
  }

  /**
   * The model id the session's next run uses: the one picked with
   * `createSession({ model })` or {@link setModel}, else the agent's default.
   * A stored pick the agent no longer offers runs on the default (and reads
   * as it here) until another is set.
   */
  get model(): string {
    return this.#runtime.models.forRun(this.#state.snapshot.model).id;
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
    this.#assertOpen('its model was not changed');
    this.#state.setModel(this.#runtime.models.check(model));
    await this.#writer.checkpoint();
  }

  /** Token, cost and call totals of the session. */
  get usage(): UsageTotals {
    return structuredClone(this.#state.snapshot.totals);
  }

  /** Requests waiting for `respond()`. */
  pendingRequests(): PendingRequest[] {
    return structuredClone(this.#state.snapshot.pending.filter((request) => !request.response));
  }

  /** A JSON-safe copy of everything the store persists. */
  snapshot(): SessionSnapshot {
    return this.#state.copy();
  }

  /** Starts a run for a user message. */
  run(input: UserInput, options: RunOptions = {}): RunHandle {
    this.#assertCanStart();
    this.#state.assertAcceptsMessage();
    const normalised = normaliseInput(
      input,
      () => this.#runtime.newId('msg'),
      (text) => this.#userText(text),
    );
    assertLoadable(normalised.parts, options.attachments);
    return this.#runner.start({ trigger: 'user', input: normalised, options });
  }

  /**
   * Adds `text` as an assistant message without a model call (a greeting, a
   * scripted line): a run with `trigger: 'say'` whose one message streams as
   * the model's would (`message.started`, `.delta`, `.completed`), so every
   * surface shows it and the next model call sees it.
   */
  say(text: string, options: Pick<RunOptions, 'signal'> = {}): RunHandle {
    this.#assertCanStart();
    this.#state.assertAcceptsMessage();
    checkSteerText(text);
    return this.#runner.start({
      trigger: 'say',
      input: { kind: 'say', messageId: this.#runtime.newId('msg'), text },
      options,
    });
  }

  /**
   * Asks the model for a reply without new user input (`trigger: 'reply'`):
   * after a `say()`, a handoff, a silence. `instructions` guide this reply
   * only and are not kept in the transcript.
   */
  generateReply(options: RunOptions = {}): RunHandle {
    this.#assertCanStart();
    this.#state.assertAcceptsMessage();
    return this.#runner.start({ trigger: 'reply', input: { kind: 'continue' }, options });
  }

  /**
   * The user spoke over run `runId`'s reply: the transcript keeps only what
   * was spoken (as many words as `spokenText` has, see `SessionState`), the
   * cut message marked `interrupted` with `spokenMs`, so the next model call
   * sees what the user heard. A run still going is stopped first
   * (`stopReason: 'interrupted'`). Each message changed completes again:
   * `message.completed { status: 'interrupted', text, spokenMs }`.
   */
  async truncateReply(runId: string, spoken: SpokenReply): Promise<void> {
    if (this.#writer.lost) throw this.#writer.lost;
    this.#assertOpen('the reply was not truncated');
    if (!Number.isFinite(spoken.spokenMs) || spoken.spokenMs < 0)
      throw new AgentCoreError({
        code: 'CORE_INVALID_INPUT',
        message: `spokenMs must be a non-negative number, got ${String(spoken.spokenMs)}.`,
      });
    if (this.#runner.activeRunId === runId) {
      this.#runner.abort(
        new AgentCoreError({ code: 'CORE_INTERRUPTED', message: 'The user spoke over the reply.' }),
      );
      await this.#runner.done;
    }
    const words = spoken.spokenText.match(/\S+/g)?.length ?? 0;
    const spokenMs = Math.round(spoken.spokenMs);
    const changed = this.#state.truncateReply(runId, words, spokenMs);
    const emitter = new RunEmitter(this.#runtime.bus, { sessionId: this.id, runId });
    changed.forEach((entry, index) =>
      emitter.emit('message.completed', {
        messageId: entry.id,
        text: entry.text,
        status: 'interrupted',
        ...(index === 0 ? { spokenMs } : {}),
      }),
    );
    await this.#writer.checkpoint();
  }

  /** User text as it may be emitted and stored: redacted when `redact.userText` is on. */
  #userText(text: string): string {
    const { redaction } = this.#runtime;
    return redaction.userText ? redaction.redactor.text(text) : text;
  }

  /** Continues a run that paused for approvals, once every request has an answer. */
  resume(options: RunOptions = {}): RunHandle {
    this.#assertCanStart();
    this.#state.assertResumable();
    return this.#runner.start({ trigger: 'resume', input: { kind: 'resume' }, options });
  }

  /** Answers an approval or clarify request. */
  async respond(requestId: string, response: RequestResponse): Promise<void> {
    if (this.#writer.lost) throw this.#writer.lost;
    const request = this.#state.resolvePending(requestId, response);
    if (request.kind === 'clarify' && request.response)
      this.#waiters.get(requestId)?.(request.response);
    await this.#writer.checkpoint();
  }

  /**
   * Sends guidance to the running agent. It is added after the next tool
   * results (`steer.applied{mode: 'tool_boundary'}`) or, if the run ends
   * first, becomes part of the next user message (`mode: 'next_message'`).
   */
  steer(text: string): { steerId: string } {
    if (this.#writer.lost) throw this.#writer.lost;
    this.#assertOpen('the steer was not accepted');
    checkSteerText(text);
    const steerId = this.#runtime.newId('str');
    text = this.#userText(text);
    const runId = this.#runner.activeRunId;
    if (runId !== undefined) {
      this.#steers.push({ steerId, text });
      new RunEmitter(this.#runtime.bus, { sessionId: this.id, runId }).emit('steer.accepted', {
        steerId,
        text,
      });
    } else {
      this.#state.queueSteer({ steerId, text });
      void this.#writer.checkpoint();
    }
    return { steerId };
  }

  /** Cancels the active run, keeping what was produced so far. No-op when idle. */
  cancel(reason = 'cancelled'): void {
    this.#runner.abort(new AgentCoreError({ code: 'CORE_CANCELLED', message: reason }));
  }

  /** Clears the conversation (transcript, pending requests, turn counter). */
  async reset(): Promise<void> {
    if (this.#writer.lost) throw this.#writer.lost;
    this.#assertOpen('it was not reset');
    this.cancel('session reset');
    await this.#runner.done;
    await this.#titler.stop();
    this.#state.reset();
    const { sessionId, agentName } = this.#state.snapshot;
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
    if (this.#state.snapshot.status === 'closed') return;
    this.cancel('session closed');
    await this.#runner.done;
    await this.#titler.stop(); // a title still being generated is dropped (the next exchange retries)
    this.#state.close();
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
   * Gives the session's lease up while it rests, so another process (another
   * web server instance on the same database) may load and run it. This
   * handle keeps its state and refuses writes (`CORE_SESSION_LOCKED`) until
   * {@link reacquire}. Waits until the session is idle (its checkpoints
   * written, a title being generated set) first. Resolves to false, changing
   * nothing, while a run is active (a run paused for approval is not: its
   * snapshot holds everything needed to resume it) or once closed.
   */
  async release(): Promise<boolean> {
    if (this.#runner.activeRunId !== undefined || this.#writer.lost || this.status === 'closed')
      return false;
    await this.idle();
    return this.#writer.rest(
      () => this.#runner.activeRunId === undefined && this.status !== 'closed',
    );
  }

  /** True while the handle is {@link release}d (not holding the session's lease). */
  get released(): boolean {
    return this.#writer.resting;
  }

  /**
   * Takes the lease back after {@link release}. True: nobody saved the
   * session meanwhile, this handle is current and may write again. False:
   * another process wrote the session (or deleted it) meanwhile; this handle
   * is closed, without events (it no longer speaks for the session), and
   * `agent.loadSession()` reads it fresh. Rejects with `CORE_SESSION_LOCKED`
   * while another live process holds the session.
   */
  async reacquire(): Promise<boolean> {
    if (this.status === 'closed') return false;
    const current = await this.#writer.reacquire();
    if (current || this.#closed()) return current;
    this.#state.close();
    this.#runtime.bus.forgetSession(this.id);
    this.#onClosed?.();
    return false;
  }

  /**
   * @internal Called by `agent.loadSession()` once the session is open (its
   * lease held, `session.started` emitted): recovers from a process that died
   * while running it (see `SessionState.recoverFromCrash`), ends the run it
   * left in flight, if any (what it streamed becomes transcript entries
   * marked `interrupted`, and the run gets its one terminal event,
   * `run.finished { stopReason: 'interrupted' }`, unless the event log shows
   * it already ended), and saves, so the numbering so far is durable.
   */
  async recoverFromCrash(interrupted: InterruptedRun | undefined): Promise<void> {
    this.#state.recoverFromCrash();
    if (interrupted) {
      endInterruptedRun(interrupted, {
        emitter: new RunEmitter(this.#runtime.bus, {
          sessionId: this.id,
          runId: interrupted.runId,
        }),
        session: this.#core(),
        now: () => this.#runtime.now(),
      });
    }
    await this.#writer.checkpoint();
  }

  /**
   * Resolves when the active run (if any) has finished, the session title
   * being generated after it (if any) is set, and the snapshot is saved.
   */
  async idle(): Promise<void> {
    await this.#runner.done;
    await this.#titler.settled;
    await this.#writer.saving;
  }

  /** Read through a method: a status checked before an await may have changed after it. */
  #closed(): boolean {
    return this.#state.snapshot.status === 'closed';
  }

  #assertOpen(consequence?: string): void {
    if (this.#state.snapshot.status === 'closed')
      throw new AgentCoreError({
        code: 'CORE_SESSION_CLOSED',
        message: `Session ${this.id} is closed${consequence ? `; ${consequence}` : ''}.`,
      });
  }

  #assertCanStart(): void {
    if (this.#writer.lost) throw this.#writer.lost;
    this.#assertOpen();
    const activeRunId = this.#runner.activeRunId;
    if (activeRunId !== undefined) {
      throw new AgentCoreError({
        code: 'CORE_SESSION_BUSY',
        message: `Session ${this.id} already has an active run (${activeRunId}).`,
        hint: 'Steer it, cancel it, or wait for it to finish.',
      });
    }
  }

  #core(): SessionCore {
    return {
      id: this.id,
      state: this.#state,
      checkpoint: () => this.#writer.checkpoint(),
      addEntry: (entry) => {
        const full: TranscriptEntry = { ...entry, id: entry.id ?? this.#runtime.newId('msg') };
        this.#state.addEntry(full);
        this.#writer.entryAdded();
        return full;
      },
      takeSteers: () => this.#steers.splice(0),
      waitForAnswer: (request, signal) => waitForAnswer(this.#waiters, request, signal),
    };
  }
}
