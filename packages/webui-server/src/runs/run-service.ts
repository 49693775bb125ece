import type {
  Agent,
  AgentSession,
  RequestResponse,
  RunHandle,
  RunOptions,
  UserInput,
} from '@switchboard/agent-core';
import { attachmentUrl, type ContentPart } from '@switchboard/events';
import type { AttachmentStore } from '../attachments/attachment-store.js';
import { WebuiServerError } from '../errors/webui-server-error.js';
import { RunAdmission } from './run-admission.js';
import { withTimeout } from './with-timeout.js';

/** What starts a run (the validated body of `POST /sessions/:id/runs`). */
export interface StartRunInput {
  input: string;
  /** Attachment ids (from `POST /attachments`) or content parts. */
  attachments?: Array<string | ContentPart>;
  /** Client-chosen id of the user message: a retried request with it starts nothing new. */
  messageId?: string;
}

/** An answer to an approval request, as the front ends send it. */
export interface ApprovalAnswer {
  requestId: string;
  approved: boolean;
  reason?: string;
  always?: boolean;
}

/** Idempotency keys remembered per session (older ones fall back to the transcript). */
const MESSAGE_IDS_PER_SESSION = 256;

/**
 * Starts, cancels, steers and resumes runs, on the session handles of the
 * registry. It knows which top-level run each session is running (from the
 * runs it starts and the bus), remembers client message ids for idempotent
 * retries, and refuses new runs once the server is closing.
 */
export class RunService {
  readonly #agent: Agent;
  readonly #shutdownGraceMs: number;
  /** Passed to every run: loads `attachment:<id>` parts for the model. */
  readonly #runOptions: RunOptions;
  readonly #attachments: AttachmentStore | undefined;
  #accepting = true;
  readonly #admission = new RunAdmission();
  /** sessionId → the top-level run in flight. */
  readonly #current = new Map<string, string>();
  /** sessionId → messageId → the run it started. */
  readonly #byMessage = new Map<string, Map<string, Promise<string>>>();
  /** runId → resolves once the run's user message is stored. */
  readonly #stored = new Map<string, () => void>();
  /** sessionId → tail of the answers being applied (one at a time per session). */
  readonly #answering = new Map<string, Promise<unknown>>();
  readonly #cleanups: Array<() => void>;

  constructor(options: { agent: Agent; shutdownGraceMs: number; attachments?: AttachmentStore }) {
    this.#agent = options.agent;
    this.#shutdownGraceMs = options.shutdownGraceMs;
    this.#attachments = options.attachments;
    this.#runOptions = options.attachments ? { attachments: options.attachments.load } : {};
    const bus = options.agent.bus;
    this.#cleanups = [
      // A handoff or another surface can start a run on a session too.
      bus.on('run.started', (event) => {
        if (event.parentRunId === undefined && event.runId !== undefined)
          this.#current.set(event.sessionId, event.runId);
      }),
      bus.on('run.finished', (event) => this.#ended(event)),
      bus.on('run.failed', (event) => this.#ended(event)),
      // agent-core checkpoints the user's message before its first model
      // call, then runs this hook: from here on the message survives a crash.
      options.agent.on('pre_llm_call', ({ runId }) => {
        this.#stored.get(runId)?.();
      }),
    ];
  }

  /**
   * Starts a run and resolves once its user message is durable (stored in
   * the session store and the event log), with `created: false` when
   * `messageId` already started one (nothing new is started). Rejects with
   * `CORE_SESSION_BUSY` / `CORE_SESSION_AWAITING_INPUT` (409) when the
   * session cannot take a message now.
   */
  async start(
    session: AgentSession,
    input: StartRunInput,
  ): Promise<{ runId: string; created: boolean }> {
    const { messageId } = input;
    if (messageId !== undefined) {
      const earlier =
        this.#byMessage.get(session.id)?.get(messageId) ?? fromTranscript(session, messageId);
      if (earlier !== undefined) return { runId: await earlier, created: false };
    }
    this.#assertAccepting();
    // Remembered before the first await: a second request with the same id finds this one.
    const started = this.#startRun(session, input);
    if (messageId !== undefined) this.#rememberMessage(session.id, messageId, started);
    return { runId: await started, created: true };
  }

  /**
   * Cancels the session's active run and waits (bounded) until it has
   * ended and its partial output is saved, so a new run is accepted right
   * after. A run that already ended answers `cancelled: false`.
   */
  async cancel(
    session: AgentSession,
    runId: string,
  ): Promise<{ runId: string; cancelled: boolean }> {
    const current = this.#current.get(session.id);
    if (session.status === 'awaiting_input' && current === undefined) {
      throw new WebuiServerError({
        code: 'WEBUI_RUN_NOT_ACTIVE',
        message: `Session ${session.id} is paused, waiting for answers; there is no run to cancel.`,
        hint: 'Answer its pending requests (deny an approval to stop the tool).',
      });
    }
    if (session.status !== 'running' || current === undefined) return { runId, cancelled: false };
    if (current !== runId) {
      throw new WebuiServerError({
        code: 'WEBUI_RUN_NOT_ACTIVE',
        message: `Run ${runId} is not the active run of session ${session.id}.`,
        details: { activeRunId: current },
      });
    }
    session.cancel('cancelled by the user');
    await withTimeout(session.idle(), this.#shutdownGraceMs);
    return { runId, cancelled: true };
  }

  /**
   * Sends guidance to the session. With a run active it is applied at the
   * next tool boundary; otherwise agent-core queues it and it becomes part
   * of the next user message.
   */
  steer(session: AgentSession, text: string): { steerId: string; runActive: boolean } {
    const runActive = session.status === 'running';
    return { ...session.steer(text), runActive };
  }

  /**
   * Answers an approval or a question. When that leaves a paused run with no
   * open request, the run is resumed here (the client does not have to).
   * Answers of one session are applied one at a time, so two last answers
   * arriving together resume the run once.
   */
  async respond(
    session: AgentSession,
    requestId: string,
    response: RequestResponse,
  ): Promise<{ requestId: string; resumedRunId?: string }> {
    const previous = this.#answering.get(session.id) ?? Promise.resolve();
    const turn = previous
      .catch(() => undefined)
      .then(async () => {
        await session.respond(requestId, response);
        if (session.status !== 'awaiting_input' || session.pendingRequests().length > 0)
          return { requestId };
        this.#assertAccepting();
        const handle = session.resume(this.#runOptions);
        this.#current.set(session.id, handle.runId);
        return { requestId, resumedRunId: handle.runId };
      });
    this.#answering.set(session.id, turn);
    try {
      return await turn;
    } finally {
      if (this.#answering.get(session.id) === turn) this.#answering.delete(session.id);
    }
  }

  /**
   * Answers those of `answers` whose approval is still pending (a retried
   * request finds them answered and skips them), one at a time through
   * {@link respond}: the last answer resumes the paused run. Returns the ids
   * answered and the resumed run's id.
   */
  async answerApprovals(
    session: AgentSession,
    answers: readonly ApprovalAnswer[],
  ): Promise<{ answered: string[]; resumedRunId?: string }> {
    const pending = new Set(
      session
        .pendingRequests()
        .filter((request) => request.kind === 'approval')
        .map((request) => request.requestId),
    );
    const answered: string[] = [];
    let resumedRunId: string | undefined;
    for (const { requestId, ...response } of answers) {
      if (!pending.delete(requestId)) continue;
      const result = await this.respond(session, requestId, response);
      answered.push(requestId);
      resumedRunId = result.resumedRunId ?? resumedRunId;
    }
    return resumedRunId === undefined ? { answered } : { answered, resumedRunId };
  }

  /** The session's top-level run in flight, if any. */
  activeRun(sessionId: string): string | undefined {
    return this.#current.get(sessionId);
  }

  /** Whether any session has a run in flight. */
  get busy(): boolean {
    return this.#current.size > 0;
  }

  /** Refuses new runs from now on (`503 WEBUI_SHUTTING_DOWN`). */
  stopAccepting(): void {
    this.#accepting = false;
  }

  /** Stops listening to the agent. */
  dispose(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }

  /**
   * Content parts for the attachments of a message: an id becomes an image
   * or file part whose url is `attachment:<id>` (the bytes stay in the
   * store); an id the store does not have is `400 WEBUI_INVALID_REQUEST`.
   */
  async #resolveAttachments(
    attachments: ReadonlyArray<string | ContentPart>,
  ): Promise<ContentPart[]> {
    return Promise.all(
      attachments.map(async (attachment, index) => {
        if (typeof attachment !== 'string') return attachment;
        const meta = await this.#attachments?.meta(attachment);
        if (!meta) {
          throw new WebuiServerError({
            code: 'WEBUI_INVALID_REQUEST',
            message: `Invalid request: body.attachments.${index}: no attachment ${attachment}${this.#attachments ? '' : ' (attachments are not configured)'}.`,
            hint: 'Upload the file with POST /api/attachments first and send its id.',
          });
        }
        const url = attachmentUrl(meta.id);
        return meta.mediaType.startsWith('image/')
          ? { type: 'image', mediaType: meta.mediaType, url }
          : {
              type: 'file',
              mediaType: meta.mediaType,
              url,
              ...(meta.filename === undefined ? {} : { filename: meta.filename }),
            };
      }),
    );
  }

  #ended(event: { sessionId: string; runId?: string }): void {
    if (this.#current.get(event.sessionId) === event.runId) this.#current.delete(event.sessionId);
  }

  #assertAccepting(): void {
    if (this.#accepting) return;
    throw new WebuiServerError({
      code: 'WEBUI_SHUTTING_DOWN',
      message: 'The server is shutting down and starts no new runs.',
      hint: 'Retry once it is back.',
    });
  }

  /** Starts the run on its turn (see {@link RunAdmission}); resolves with its id once its user message is stored. */
  async #startRun(session: AgentSession, input: StartRunInput): Promise<string> {
    const parts = await this.#resolveAttachments(input.attachments ?? []);
    await this.#admission.turn();
    this.#assertAccepting(); // the server may have begun closing while this run waited
    const handle = session.run(toUserInput(input, parts), this.#runOptions);
    this.#current.set(session.id, handle.runId);
    return this.#waitStored(handle);
  }

  /** Resolves with the run id once the user message is stored (or the run ended before that). */
  async #waitStored(handle: RunHandle): Promise<string> {
    const stored = new Promise<void>((resolve) => this.#stored.set(handle.runId, resolve));
    try {
      await Promise.race([stored, handle.result]);
      await this.#agent.bus.flush(); // the event log has `user.message` too
    } finally {
      this.#stored.delete(handle.runId);
    }
    return handle.runId;
  }

  #rememberMessage(sessionId: string, messageId: string, runId: Promise<string>): void {
    let ids = this.#byMessage.get(sessionId);
    if (!ids) {
      ids = new Map();
      this.#byMessage.set(sessionId, ids);
    }
    ids.set(messageId, runId);
    if (ids.size > MESSAGE_IDS_PER_SESSION) ids.delete(ids.keys().next().value!);
    runId.catch(() => ids.delete(messageId));
  }
}

/** The run that stored a user message with this id, from the session's transcript. */
function fromTranscript(session: AgentSession, messageId: string): Promise<string> | undefined {
  const entry = session.transcript.find(
    (candidate) => candidate.id === messageId && candidate.message.role === 'user',
  );
  return entry?.runId === undefined ? undefined : Promise.resolve(entry.runId);
}

function toUserInput({ input, messageId }: StartRunInput, attachments: ContentPart[]): UserInput {
  const ids = messageId === undefined ? {} : { messageId };
  if (!attachments.length) return { text: input, ...ids };
  return {
    parts: [...(input === '' ? [] : [{ type: 'text' as const, text: input }]), ...attachments],
    ...ids,
  };
}
