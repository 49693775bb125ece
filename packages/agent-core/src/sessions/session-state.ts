import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { StopReason, TitleSource, TokenUsage } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { addUsage } from '../usage/token-usage.js';
import { ProviderPromptCache } from './provider-prompt-cache.js';
import type { PendingRequest, SessionSnapshot, TranscriptEntry } from './session-snapshot.js';
import { archiveWithSummary } from './transcript.js';

/** Where a paused run stopped (`snapshot.paused`). */
export type PausedStep = NonNullable<SessionSnapshot['paused']>;
type ApprovalRequest = Extract<PendingRequest, { kind: 'approval' }>;
type ClarifyRequest = Extract<PendingRequest, { kind: 'clarify' }>;
type Steer = SessionSnapshot['queuedSteers'][number];

/** An answer to a pending request, as `respond()` takes it. */
export type PendingResponse =
  { approved: boolean; reason?: string; always?: boolean } | { answer: string };

/**
 * The one owner of a session's snapshot. Everything that changes it (the
 * session handle, the run loop, the tool phase, built-in tools, the writer,
 * the titler) says what happened through an intent method, which checks the
 * change is allowed from the current status; readers get a read-only view.
 * A change that makes no sense (pausing a run that is not running, finishing
 * twice, resuming nothing) throws `CORE_INVALID_TRANSITION`: a bug in the
 * caller, caught before it corrupts what is saved.
 */
export class SessionState {
  #snapshot: SessionSnapshot;
  /** The transcript's provider prompt, kept converted between steps. */
  #prompts = new ProviderPromptCache();
  /**
   * The real arguments of paused calls whose stored input is redacted: kept
   * in memory only, so no sink ever holds the secret (see `pauseForApproval`).
   */
  #heldArgs: ReadonlyMap<string, unknown> = new Map();

  /**
   * Owns `snapshot` from now on. With `sharesTotalsWith`, usage counts in
   * that session's totals (a sub-agent's calls are its parent session's).
   * `revision` is the stored revision the snapshot stands for (the lease's:
   * a session just saved for the first time has none of its own yet).
   */
  constructor(
    snapshot: SessionSnapshot,
    options: { sharesTotalsWith?: SessionState; revision?: number } = {},
  ) {
    this.#snapshot = snapshot;
    if (options.sharesTotalsWith) snapshot.totals = options.sharesTotalsWith.#snapshot.totals;
    if (options.revision !== undefined) snapshot.revision = options.revision;
  }

  /** The live snapshot, read-only (not a copy: cheap to read every step). */
  get snapshot(): Readonly<SessionSnapshot> {
    return this.#snapshot;
  }

  get id(): string {
    return this.#snapshot.sessionId;
  }

  /** A JSON-safe deep copy. */
  copy(): SessionSnapshot {
    return structuredClone(this.#snapshot);
  }

  /** A user message may start a run (`CORE_SESSION_AWAITING_INPUT` while answers are due). */
  assertAcceptsMessage(): void {
    if (this.#snapshot.status !== 'awaiting_input') return;
    const open = this.#snapshot.pending.filter((request) => !request.response).length;
    throw new AgentCoreError({
      code: 'CORE_SESSION_AWAITING_INPUT',
      message: `Session ${this.id} is waiting for ${open} answer(s).`,
      hint: 'Answer with respond(requestId, …) and call resume().',
    });
  }

  /**
   * A paused run may resume: there is one (`CORE_NOTHING_TO_RESUME`) and
   * every request has an answer (`CORE_PENDING_UNANSWERED`).
   */
  assertResumable(): void {
    if (this.#snapshot.status !== 'awaiting_input' || !this.#snapshot.paused)
      throw new AgentCoreError({
        code: 'CORE_NOTHING_TO_RESUME',
        message: `Session ${this.id} has no paused run.`,
      });
    const unanswered = this.#snapshot.pending.filter((request) => !request.response);
    if (unanswered.length > 0)
      throw new AgentCoreError({
        code: 'CORE_PENDING_UNANSWERED',
        message: `${unanswered.length} request(s) still need an answer before resume().`,
        details: { requestIds: unanswered.map((request) => request.requestId) },
      });
  }

  /** A run starts: the turn counter moves on, and the run is in flight until {@link endRun}. */
  beginRun(runId: string, startedAt: number): number {
    this.#expect('begin a run', ['idle', 'awaiting_input']);
    if (this.#snapshot.activeRun)
      this.#invalid(`begin run ${runId}`, `run ${this.#snapshot.activeRun.runId} is in flight`);
    this.#snapshot.turn += 1;
    this.#snapshot.activeRun = { runId, startedAt };
    return this.#snapshot.turn;
  }

  /**
   * The session was loaded after the process that ran it died: nothing runs
   * any more. A session saved `running` is idle again, and the questions its
   * dead run asked are dropped (nobody can answer them); the approvals of a
   * paused step stay, so they can be answered and the step resumed. The run
   * itself stays in flight (`activeRun`) until it is ended as interrupted
   * ({@link endRun}). Returns whether the session was running.
   */
  recoverFromCrash(): boolean {
    if (this.#snapshot.status !== 'running') return false;
    const paused = this.#snapshot.paused !== undefined;
    this.#snapshot.status = 'idle';
    this.#snapshot.pending = this.#snapshot.pending.filter(
      (request) => request.kind === 'approval' && paused,
    );
    return true;
  }

  /** The run loop has started. */
  markRunning(): void {
    this.#expect('start running', ['idle', 'awaiting_input']);
    this.#snapshot.status = 'running';
  }

  /** Text the model streamed so far in run `runId`, checkpointed so a crash loses none of it. */
  streamPartial(
    runId: string,
    part: { messageId?: string; text?: string; reasoning?: string },
  ): void {
    const active = this.#snapshot.activeRun;
    if (!active || active.runId !== runId) return;
    active.partial ??= { text: '' };
    if (part.messageId !== undefined) active.partial.messageId = part.messageId;
    if (part.text !== undefined) active.partial.text += part.text;
    if (part.reasoning !== undefined)
      active.partial.reasoning = (active.partial.reasoning ?? '') + part.reasoning;
  }

  /** A new model call of run `runId` starts: what the last one streamed is no longer partial. */
  clearPartial(runId: string): void {
    const active = this.#snapshot.activeRun;
    if (active?.runId === runId) active.partial = undefined;
  }

  /** Appends to the transcript (the streamed partial answer is in it now). */
  addEntry(entry: TranscriptEntry): void {
    this.#snapshot.transcript.push(entry);
    const active = this.#snapshot.activeRun;
    if (active?.partial && entry.message.role === 'assistant') active.partial = undefined;
  }

  /** Drops every entry run `runId` added (a withdrawn run leaves nothing). */
  withdrawRun(runId: string): void {
    this.#snapshot.transcript = this.#snapshot.transcript.filter((entry) => entry.runId !== runId);
    const active = this.#snapshot.activeRun;
    if (active?.runId === runId) active.partial = undefined;
    this.#prompts.invalidate();
  }

  /**
   * Cuts run `runId`'s reply to what was spoken: its assistant text keeps as
   * many words as `spokenWords` (word-aligned, so a markdown marker filtered
   * out before speech does not shift the cut), in order across the run's
   * messages; the rest of the text is dropped (tool calls stay: they ran).
   * The entry where the cut falls (the last one when all was spoken) is
   * marked `interrupted` with `spokenMs`. Returns the entries changed, with
   * their new text; `CORE_RUN_NOT_FOUND` when the run has no reply text.
   */
  truncateReply(
    runId: string,
    spokenWords: number,
    spokenMs: number,
  ): Array<{ id: string; text: string }> {
    const replies = this.#snapshot.transcript.filter(
      (entry) =>
        entry.runId === runId &&
        entry.message.role === 'assistant' &&
        entry.display.status !== 'error' &&
        entry.message.content.some((part) => part.type === 'text'),
    );
    if (replies.length === 0)
      throw new AgentCoreError({
        code: 'CORE_RUN_NOT_FOUND',
        message: `Session ${this.id} has no reply of run ${runId} to truncate.`,
      });
    let left = spokenWords;
    const changed: Array<{ id: string; text: string }> = [];
    const dropped = new Set<TranscriptEntry>();
    replies.forEach((entry, index) => {
      const message = entry.message;
      if (message.role !== 'assistant') return;
      const text = message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      const words = [...text.matchAll(/\S+/g)];
      const last = index === replies.length - 1;
      if (left >= words.length && !(last && changed.length === 0)) {
        left -= words.length;
        return;
      }
      const keep = Math.min(left, words.length);
      const cut =
        keep === 0 ? '' : text.slice(0, words[keep - 1]!.index + words[keep - 1]![0].length);
      left = 0;
      // The text goes where it was: after any reasoning, before the tool calls.
      const reasoning = message.content.filter((part) => part.type === 'reasoning');
      const rest = message.content.filter(
        (part) => part.type !== 'reasoning' && part.type !== 'text',
      );
      const content = [
        ...reasoning,
        ...(cut ? [{ type: 'text' as const, text: cut }] : []),
        ...rest,
      ];
      if (content.length === 0 || content.every((part) => part.type === 'reasoning'))
        dropped.add(entry);
      entry.message = { ...message, content };
      entry.display = {
        ...entry.display,
        status: 'interrupted',
        ...(changed.length === 0 ? { spokenMs } : {}),
      };
      changed.push({ id: entry.id, text: cut });
    });
    if (dropped.size > 0)
      this.#snapshot.transcript = this.#snapshot.transcript.filter((entry) => !dropped.has(entry));
    this.#prompts.invalidate();
    return changed;
  }

  /** Archives entries behind a summary: the one edit of the transcript besides {@link addEntry}. */
  compact(edit: Parameters<typeof archiveWithSummary>[1]): void {
    archiveWithSummary(this.#snapshot.transcript, edit);
    this.#prompts.invalidate();
  }

  /** The transcript's provider prompt, converted incrementally. */
  providerPrompt(system: string): LanguageModelV3Prompt {
    return this.#prompts.prompt(system, this.#snapshot.transcript);
  }

  /** The prompt's rough token count, measured incrementally. */
  estimatePromptTokens(system: string): number {
    return this.#prompts.estimateTokens(system, this.#snapshot.transcript);
  }

  /** Counts one model call in the session's totals; returns them. */
  addUsage(usage: TokenUsage, costUsd: number | undefined): Readonly<SessionSnapshot['totals']> {
    const totals = this.#snapshot.totals;
    totals.usage = addUsage(totals.usage, usage);
    totals.apiCalls += 1;
    if (costUsd !== undefined) totals.costUsd = (totals.costUsd ?? 0) + costUsd;
    return totals;
  }

  /** The run stops at `paused` until every request has an answer. */
  pauseForApproval(
    paused: PausedStep,
    requests: readonly ApprovalRequest[],
    heldArgs: ReadonlyMap<string, unknown> = new Map(),
  ): void {
    this.#expect('pause for approval', ['running']);
    if (this.#snapshot.paused)
      this.#invalid('pause for approval', `run ${this.#snapshot.paused.runId} is already paused`);
    this.#snapshot.paused = paused;
    this.#snapshot.pending.push(...requests);
    this.#heldArgs = new Map(heldArgs);
  }

  /** The `ask_user` tool asks a question. */
  askClarify(request: ClarifyRequest): void {
    this.#expect('ask a question', ['running']);
    this.#snapshot.pending.push(request);
  }

  /** A question is answered, timed out or cancelled: it is no longer pending. */
  withdrawRequest(requestId: string): void {
    this.#snapshot.pending = this.#snapshot.pending.filter(
      (request) => request.requestId !== requestId,
    );
  }

  /**
   * Records the answer to an open request (`CORE_NO_PENDING_REQUEST` when
   * there is none, `CORE_INVALID_RESPONSE` for the wrong shape). An approval
   * with `always` approves its tool for the rest of the session.
   */
  resolvePending(requestId: string, response: PendingResponse): PendingRequest {
    const request = this.#snapshot.pending.find(
      (candidate) => candidate.requestId === requestId && !candidate.response,
    );
    if (!request) {
      throw new AgentCoreError({
        code: 'CORE_NO_PENDING_REQUEST',
        message: `No open request ${requestId} in session ${this.id}.`,
      });
    }
    if (request.kind === 'clarify') {
      if (!('answer' in response) || typeof response.answer !== 'string')
        throw new AgentCoreError({
          code: 'CORE_INVALID_RESPONSE',
          message: `Request ${requestId} is a question: answer { answer: string }.`,
        });
      request.response = { answer: response.answer, source: 'user' };
      return request;
    }
    if (!('approved' in response) || typeof response.approved !== 'boolean')
      throw new AgentCoreError({
        code: 'CORE_INVALID_RESPONSE',
        message: `Request ${requestId} is an approval: answer { approved: boolean }.`,
      });
    const always = response.approved && response.always === true;
    request.response = {
      approved: response.approved,
      ...(response.reason ? { reason: response.reason } : {}),
      ...(always ? { always: true } : {}),
    };
    // "Always allow": this tool runs without asking for the rest of the session (until reset).
    const approved = this.#snapshot.approvedTools ?? [];
    if (always && !approved.includes(request.toolName))
      this.#snapshot.approvedTools = [...approved, request.toolName];
    return request;
  }

  /**
   * A resumed run takes the step it paused at, with the answered approvals;
   * they are no longer pending.
   */
  takePausedStep(): {
    paused: PausedStep;
    approvals: ApprovalRequest[];
    /** The real arguments of redacted calls, by call id, when this process paused the run. */
    heldArgs: ReadonlyMap<string, unknown>;
  } {
    this.#expect('resume a paused step', ['running']);
    const { paused } = this.#snapshot;
    if (!paused) return this.#invalid('resume a paused step', 'no step is paused');
    const approvals = this.#snapshot.pending.filter(
      (request): request is ApprovalRequest => request.kind === 'approval',
    );
    this.#snapshot.pending = this.#snapshot.pending.filter(
      (request) => request.kind !== 'approval',
    );
    this.#snapshot.paused = undefined;
    const heldArgs = this.#heldArgs;
    this.#heldArgs = new Map();
    return { paused, approvals, heldArgs };
  }

  /** A steer that arrived while no run could take it waits for the next user message. */
  queueSteer(steer: Steer): void {
    this.#expect('queue a steer', ['idle', 'awaiting_input', 'running']);
    this.#snapshot.queuedSteers.push(steer);
  }

  /** The next user message takes the queued steers. */
  takeQueuedSteers(): Steer[] {
    return this.#snapshot.queuedSteers.splice(0);
  }

  /**
   * The run loop stopped: the session waits for answers (`awaiting_input`)
   * or for the next message. Returns the requests still unanswered.
   */
  finish(stopReason: StopReason | 'failed'): PendingRequest[] {
    this.#expect(`finish (${stopReason})`, ['running']);
    const awaiting = stopReason === 'awaiting_input';
    this.#snapshot.status = awaiting ? 'awaiting_input' : 'idle';
    return awaiting ? this.#snapshot.pending.filter((request) => !request.response) : [];
  }

  /** The run is over (its terminal event follows): nothing is in flight. */
  endRun(): void {
    this.#snapshot.activeRun = undefined;
  }

  /** The conversation continues with another agent. */
  handOff(agentName: string): void {
    this.#expect('hand off', ['idle']);
    this.#snapshot.agentName = agentName;
  }

  /** Picks the model of the next runs. */
  setModel(model: string): void {
    this.#expect('set the model', ['idle', 'awaiting_input', 'running']);
    this.#snapshot.model = model;
  }

  /** Names the session. */
  setTitle(title: string, source: TitleSource): void {
    this.#snapshot.title = title;
    this.#snapshot.titleSource = source;
  }

  /** A checkpoint is taken: the session's place in lists and its event numbering. */
  stamp(at: { updatedAt?: number; eventHead?: SessionSnapshot['eventHead'] }): void {
    if (at.updatedAt !== undefined) this.#snapshot.updatedAt = at.updatedAt;
    if (at.eventHead) this.#snapshot.eventHead = at.eventHead;
  }

  /**
   * Clears the conversation (transcript, pending requests, turn counter,
   * approvals); keeps the identity, model, title, totals and state.
   */
  reset(): void {
    // From `running` too: a handoff's next run may have started as the session reset.
    this.#expect('reset', ['idle', 'awaiting_input', 'running']);
    this.#snapshot = {
      ...this.#snapshot,
      status: 'idle',
      turn: 0,
      transcript: [],
      pending: [],
      paused: undefined,
      queuedSteers: [],
      approvedTools: undefined,
    };
    this.#prompts = new ProviderPromptCache();
  }

  /** Closes the session for good. */
  close(): void {
    // From `running` too: a handoff's next run may have started as the session closed.
    this.#expect('close', ['idle', 'awaiting_input', 'running']);
    this.#snapshot.status = 'closed';
  }

  #expect(action: string, allowed: ReadonlyArray<SessionSnapshot['status']>): void {
    const { status } = this.#snapshot;
    if (!allowed.includes(status)) this.#invalid(action, `the session is ${status}`);
  }

  #invalid(action: string, why: string): never {
    throw new AgentCoreError({
      code: 'CORE_INVALID_TRANSITION',
      message: `Session ${this.id}: cannot ${action}: ${why}.`,
      details: { sessionId: this.id, status: this.#snapshot.status },
    });
  }
}
