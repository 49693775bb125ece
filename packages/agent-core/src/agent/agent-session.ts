import type {
  AgentEvent,
  AnyEvent,
  ContentPart,
  EventBus,
  EventData,
  EventType,
} from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { toCheckpoint } from '../sessions/session-checkpoint.js';
import { sessionConflict } from '../sessions/session-lease.js';
import { toUserContent } from '../sessions/user-content.js';
import type {
  PendingRequest,
  SessionCheckpoint,
  SessionLease,
  SessionSnapshot,
  SessionStore,
  TranscriptEntry,
  UsageTotals,
} from '../sessions/session-snapshot.js';
import type { InterruptedRun } from './interrupted-run.js';
import { createClarifyTool } from './clarify-tool.js';
import { createHandoffTool, handoffToolName } from './handoff-tool.js';
import { createRunHandle, type RunHandle, type RunResult } from './run-handle.js';
import { RunEmitter } from './run-emitter.js';
import { executeRun, type RunInput } from './run-loop.js';
import type { AgentRuntime, RunState, SessionCore } from './run-state.js';

/** What a user sends: plain text or content parts. */
export type UserInput =
  string | { text?: string; parts?: ContentPart[]; source?: 'text' | 'voice'; messageId?: string };

/** Options of one run. */
export interface RunOptions {
  /** Cancels the run when aborted (same as `session.cancel()`). */
  signal?: AbortSignal;
}

/** An answer to a pending request. */
export type RequestResponse =
  /** An approval; `always` also approves this tool for the rest of the session. */
  | { approved: boolean; reason?: string; always?: boolean }
  /** An answer to an `ask_user` question. */
  | { answer: string };

interface ActiveRun {
  runId: string;
  controller: AbortController;
  done: Promise<RunResult>;
}

/** While the model streams, its partial answer is checkpointed at least this often (ms). */
export const PARTIAL_CHECKPOINT_MS = 1000;
/** A run checkpoints at least every this many of its events, so the stored `eventHead` stays close. */
const CHECKPOINT_EVERY_EVENTS = 250;
/**
 * Without an event log, a process that died mid-run may have numbered events
 * past its last checkpoint (at most {@link CHECKPOINT_EVERY_EVENTS} plus a
 * write in flight). The next process skips this many numbers rather than
 * reuse one: a gap, never a duplicate.
 */
export const SEQ_RESERVE = 1000;

/** How a session handle holds its session in the store. */
export interface SessionOwnership {
  /** Lease owner id of this handle. */
  owner: string;
  /** The lease taken when the handle was opened. */
  lease: SessionLease;
  /** Called once when the handle is closed (the agent forgets it). */
  onClosed?: () => void;
}

/** The run emitter of a session's own runs: it tells the session what streams, for partial checkpoints. */
class ObservedEmitter extends RunEmitter {
  readonly #observe: (event: AnyEvent) => void;

  constructor(
    bus: EventBus,
    scope: { sessionId: string; runId: string },
    observe: (event: AnyEvent) => void,
  ) {
    super(bus, scope);
    this.#observe = observe;
  }

  override emit<T extends EventType>(type: T, data: EventData<T>): AgentEvent<T> {
    const event = super.emit(type, data);
    this.#observe(event as AnyEvent);
    return event;
  }
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
  readonly #store: SessionStore;
  #snapshot: SessionSnapshot;
  #active: ActiveRun | undefined;
  #steers: Array<{ steerId: string; text: string }> = [];
  readonly #waiters = new Map<
    string,
    (answer: { answer: string; source: 'user' | 'timeout' }) => void
  >();
  #saving: Promise<void> = Promise.resolve();
  readonly #owner: string;
  #revision: number;
  readonly #onClosed: (() => void) | undefined;
  /** What the store holds of the transcript, as of the last checkpoint taken (see #serialize). */
  #persisted: { transcript: TranscriptEntry[]; length: number; last: TranscriptEntry | undefined };
  /** Entries added through addEntry since the last checkpoint. */
  #appended = 0;
  /** A write failed: the next one rewrites the whole session. */
  #needsFull = false;
  /** Another writer took the session over: this handle may no longer write. */
  #lost: AgentCoreError | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #partialTimer: NodeJS.Timeout | undefined;
  #lastCheckpointAt = 0;
  #lastCheckpointSeq = 0;
  #released = false;

  /** @internal Use `agent.createSession()` or `agent.loadSession()`. */
  constructor(
    runtime: AgentRuntime,
    store: SessionStore,
    snapshot: SessionSnapshot,
    ownership: SessionOwnership,
  ) {
    this.#runtime = runtime;
    this.#store = store;
    this.#snapshot = snapshot;
    this.#owner = ownership.owner;
    this.#revision = ownership.lease.revision;
    this.#onClosed = ownership.onClosed;
    const transcript = snapshot.transcript;
    this.#persisted = { transcript, length: transcript.length, last: transcript.at(-1) };
    this.#lastCheckpointSeq = snapshot.eventHead?.seq ?? 0;
    this.#renewLeaseLater(ownership.lease);
  }

  get id(): string {
    return this.#snapshot.sessionId;
  }

  /** `idle`, `running`, `awaiting_input` or `closed`. */
  get status(): SessionSnapshot['status'] {
    return this.#snapshot.status;
  }

  /** The whole transcript, display metadata included (a copy). */
  get transcript(): TranscriptEntry[] {
    return structuredClone(this.#snapshot.transcript);
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
    if (this.#lost) throw this.#lost;
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
    await this.#checkpoint();
  }

  /**
   * Sends guidance to the running agent. It is added after the next tool
   * results (`steer.applied{mode: 'tool_boundary'}`) or, if the run ends
   * first, becomes part of the next user message (`mode: 'next_message'`).
   */
  steer(text: string): { steerId: string } {
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
      void this.#checkpoint();
    }
    return { steerId };
  }

  /** Cancels the active run, keeping what was produced so far. No-op when idle. */
  cancel(reason = 'cancelled'): void {
    this.#active?.controller.abort(new AgentCoreError({ code: 'CORE_CANCELLED', message: reason }));
  }

  /** Clears the conversation (transcript, pending requests, turn counter). */
  async reset(): Promise<void> {
    if (this.#lost) throw this.#lost;
    this.cancel('session reset');
    await this.#active?.done;
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
    await this.#checkpoint();
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
    this.#snapshot.status = 'closed';
    const bus = this.#runtime.bus;
    if (!this.#lost) {
      bus.emit({ type: 'session.ended', sessionId: this.id, data: { reason: 'closed' } });
      await this.#runtime.hooks.run('on_session_finalize', { sessionId: this.id });
      await this.#checkpoint();
    }
    this.#release();
    await this.#store
      .releaseLease(this.id, this.#owner)
      .catch((error: unknown) => this.#runtime.reportError(toError(error)));
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
    const emitter = new RunEmitter(this.#runtime.bus, { sessionId: this.id, runId: run.runId });
    const known = new Set(this.#snapshot.transcript.map((entry) => entry.id));
    const core = this.#core();
    for (const message of run.messages) {
      if (message.messageId !== undefined && known.has(message.messageId)) continue;
      const content: Extract<TranscriptEntry['message'], { role: 'assistant' }>['content'] = [];
      if (message.reasoning) content.push({ type: 'reasoning', text: message.reasoning });
      if (message.text) content.push({ type: 'text', text: message.text });
      if (content.length === 0) continue;
      core.addEntry({
        ...(message.messageId === undefined ? {} : { id: message.messageId }),
        runId: run.runId,
        message: { role: 'assistant', content },
        display: { createdAt: this.#runtime.now(), status: 'interrupted' },
      });
    }
    this.#snapshot.activeRun = undefined;
    if (!run.ended) {
      if (run.openMessageId !== undefined) {
        const open = run.messages.find((message) => message.messageId === run.openMessageId);
        emitter.emit('message.completed', {
          messageId: run.openMessageId,
          text: open?.text ?? '',
          status: 'interrupted',
        });
      }
      emitter.emit('run.finished', {
        stopReason: 'interrupted',
        durationMs: Math.max(0, run.lastSeenAt - run.startedAt),
      });
    }
    await this.#checkpoint();
  }

  /** @internal Saves the snapshot now (the agent does after opening a session). */
  checkpoint(): Promise<void> {
    return this.#checkpoint();
  }

  /** Resolves when the active run (if any) has finished and the snapshot is saved. */
  async idle(): Promise<void> {
    await this.#active?.done;
    await this.#saving;
  }

  #assertCanStart(): void {
    if (this.#lost) throw this.#lost;
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
  }: {
    trigger: 'user' | 'resume' | 'handoff';
    input: RunInput;
    options: RunOptions;
    runId?: string;
  }): RunHandle {
    const runtime = this.#runtime;
    const controller = new AbortController();
    const signal = options.signal
      ? AbortSignal.any([options.signal, controller.signal])
      : controller.signal;
    this.#snapshot.turn += 1;
    this.#snapshot.activeRun = { runId, startedAt: runtime.now() };
    const emitter = new ObservedEmitter(runtime.bus, { sessionId: this.id, runId }, (event) =>
      this.#observe(event),
    );
    const session = this.#core();
    const run: RunState = {
      agent: runtime,
      session,
      runId,
      turn: this.#snapshot.turn,
      trigger,
      emitter,
      signal,
      localTools: {},
      userMessage: input.kind === 'user' ? input.text : lastUserText(this.#snapshot.transcript),
      usage: {},
      costUsd: undefined,
      modelCalls: 0,
      lastText: '',
      nextStepIndex: 0,
    };
    const clarify = runtime.options.clarify;
    if (clarify !== false) run.localTools.ask_user = createClarifyTool(run, clarify);
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
        });
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
      checkpoint: () => this.#checkpoint(),
      addEntry: (entry) => {
        const full: TranscriptEntry = { ...entry, id: entry.id ?? this.#runtime.newId('msg') };
        this.#snapshot.transcript.push(full);
        this.#appended += 1;
        // The streamed answer is in the transcript now: the checkpointed partial is done.
        const active = this.#snapshot.activeRun;
        if (active?.partial && full.message.role === 'assistant') active.partial = undefined;
        return full;
      },
      takeSteers: () => this.#steers.splice(0),
      waitForAnswer: (request, signal) => this.#waitForAnswer(request, signal),
    };
  }

  #waitForAnswer(
    request: Extract<PendingRequest, { kind: 'clarify' }>,
    signal: AbortSignal,
  ): Promise<{ answer: string; source: 'user' | 'timeout' }> {
    return new Promise((resolve, reject) => {
      const finish = (answer: { answer: string; source: 'user' | 'timeout' }) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#waiters.delete(request.requestId);
        request.response ??= answer;
        resolve(answer);
      };
      const timer = setTimeout(
        () => finish({ answer: request.fallbackAnswer, source: 'timeout' }),
        request.timeoutMs,
      );
      const onAbort = () => {
        clearTimeout(timer);
        this.#waiters.delete(request.requestId);
        reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.set(request.requestId, finish);
    });
  }

  /**
   * Tracks what the session's own runs stream: the partial answer (kept in
   * `activeRun.partial`, checkpointed at least every second while the model
   * streams) and how far the event numbering ran since the last checkpoint.
   */
  #observe(event: AnyEvent): void {
    const active = this.#snapshot.activeRun;
    if (!active || event.runId !== active.runId) return;
    if (event.seq - this.#lastCheckpointSeq >= CHECKPOINT_EVERY_EVENTS) void this.#checkpoint();
    const data = event.data as { messageId?: string; delta?: string };
    switch (event.type) {
      case 'generation.started':
        active.partial = undefined;
        return;
      case 'reasoning.delta':
        active.partial ??= { text: '' };
        active.partial.reasoning = (active.partial.reasoning ?? '') + (data.delta ?? '');
        break;
      case 'message.started':
        active.partial ??= { text: '' };
        active.partial.messageId = data.messageId!;
        return;
      case 'message.delta':
        active.partial ??= { text: '' };
        active.partial.text += data.delta ?? '';
        break;
      default:
        return;
    }
    if (this.#partialTimer) return;
    const wait = Math.max(0, PARTIAL_CHECKPOINT_MS - (Date.now() - this.#lastCheckpointAt));
    this.#partialTimer = setTimeout(() => {
      this.#partialTimer = undefined;
      void this.#checkpoint();
    }, wait);
    this.#partialTimer.unref();
  }

  /**
   * Takes a checkpoint: serialized now (the snapshot keeps changing), written
   * after the ones before it. Failures are reported, not thrown; a conflict
   * (another writer took the session over) ends this handle's right to write.
   */
  #checkpoint(): Promise<void> {
    if (this.#lost) return this.#saving;
    this.#snapshot.updatedAt = this.#runtime.now();
    const head = this.#runtime.bus.head(this.id);
    if (head) this.#snapshot.eventHead = head;
    this.#lastCheckpointSeq = head?.seq ?? this.#lastCheckpointSeq;
    this.#lastCheckpointAt = Date.now();
    clearTimeout(this.#partialTimer);
    this.#partialTimer = undefined;
    const checkpoint = this.#serialize();
    this.#saving = this.#saving.then(() => this.#write(checkpoint));
    return this.#saving;
  }

  /**
   * The checkpoint of what changed since the last one: the header and the
   * entries added since. Entries are added at the end (addEntry); anything
   * else that touched the transcript (a compaction inserting its summary, a
   * reset replacing it) shows as a length or identity mismatch, and then the
   * whole transcript is written once.
   */
  #serialize(): SessionCheckpoint {
    const transcript = this.#snapshot.transcript;
    const before = this.#persisted;
    const appendedOnly =
      transcript === before.transcript &&
      transcript.length === before.length + this.#appended &&
      (before.length === 0 || transcript[before.length - 1] === before.last);
    this.#persisted = { transcript, length: transcript.length, last: transcript.at(-1) };
    this.#appended = 0;
    return toCheckpoint(this.#snapshot, {
      baseRevision: this.#revision,
      owner: this.#owner,
      from: appendedOnly ? before.length : 0,
    });
  }

  async #write(checkpoint: SessionCheckpoint): Promise<void> {
    if (this.#lost) return;
    const full = this.#needsFull;
    const write = full
      ? toCheckpoint(this.#snapshot, { baseRevision: this.#revision, owner: this.#owner, from: 0 })
      : { ...checkpoint, baseRevision: this.#revision };
    try {
      const lease = await this.#store.save(write);
      this.#revision = lease.revision;
      if (full) this.#needsFull = false;
      this.#renewLeaseLater(lease);
    } catch (error) {
      if (error instanceof AgentCoreError && error.code === 'CORE_SESSION_CONFLICT') {
        this.#lose(error);
      } else {
        this.#needsFull = true;
        this.#runtime.reportError(toError(error));
      }
    }
  }

  /** Renews the lease a third of its time before it expires, while the handle is open. */
  #renewLeaseLater(lease: SessionLease): void {
    if (this.#released) return;
    clearTimeout(this.#renewTimer);
    this.#renewTimer = setTimeout(
      () => {
        this.#store.acquireLease(this.id, this.#owner).then(
          (renewed) =>
            renewed
              ? this.#renewLeaseLater(renewed)
              : this.#lose(sessionConflict(this.id, 'it was deleted')),
          (error: unknown) =>
            error instanceof AgentCoreError && error.code === 'CORE_SESSION_LOCKED'
              ? this.#lose(sessionConflict(this.id, error.message))
              : this.#runtime.reportError(toError(error)),
        );
      },
      Math.max(10, lease.ttlMs / 3),
    );
    this.#renewTimer.unref();
  }

  /** Another writer has the session: stop the run, refuse further writes, tell the host. */
  #lose(error: AgentCoreError): void {
    if (this.#lost) return;
    this.#lost = error;
    this.#release();
    this.#active?.controller.abort(error);
    this.#runtime.reportError(error);
  }

  #release(): void {
    this.#released = true;
    clearTimeout(this.#renewTimer);
    clearTimeout(this.#partialTimer);
    this.#renewTimer = undefined;
    this.#partialTimer = undefined;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function lastUserText(transcript: readonly TranscriptEntry[]): string {
  for (let index = transcript.length - 1; index >= 0; index--) {
    const message = transcript[index]!.message;
    if (message.role === 'user')
      return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  }
  return '';
}

function normaliseInput(
  input: UserInput,
  newId: () => string,
  redactText: (text: string) => string,
): Extract<RunInput, { kind: 'user' }> {
  if (typeof input !== 'string' && (typeof input !== 'object' || input == null))
    throw new AgentCoreError({
      code: 'CORE_INVALID_INPUT',
      message: `run() takes a string or { text } / { parts }, got ${describeValue(input)}.`,
    });
  const given: ContentPart[] =
    typeof input === 'string'
      ? [{ type: 'text', text: input }]
      : (input.parts ?? (input.text !== undefined ? [{ type: 'text', text: input.text }] : []));
  // Redacted here, once, so the event, the transcript and the model all get the same text.
  const parts = given.map((part) =>
    part.type === 'text' && typeof part.text === 'string'
      ? { ...part, text: redactText(part.text) }
      : part,
  );
  const content = toUserContent(parts); // refuses parts no model can take, before anything changes
  const text = content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
  if (
    content.length === 0 ||
    (text.trim() === '' && !content.some((part) => part.type === 'file'))
  ) {
    throw new AgentCoreError({
      code: 'CORE_EMPTY_INPUT',
      message: 'The user message is empty.',
      hint: 'Send some text, or an image or file.',
    });
  }
  return {
    kind: 'user',
    messageId: (typeof input === 'object' && input.messageId) || newId(),
    parts,
    content,
    text,
    source: (typeof input === 'object' && input.source) || 'text',
  };
}

/** What a wrong argument was, for an error message (`null`, `a number`). */
function describeValue(value: unknown): string {
  return value == null ? String(value) : `a value of type ${typeof value}`;
}
