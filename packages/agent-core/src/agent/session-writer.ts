import type { AgentEvent, DraftData, EventBus, EventType } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { toCheckpoint } from '../sessions/session-checkpoint.js';
import { countMessages } from '../sessions/session-listing.js';
import { sessionConflict } from '../sessions/session-lease.js';
import type {
  SessionCheckpoint,
  SessionLease,
  SessionSnapshot,
  SessionStore,
  TranscriptEntry,
} from '../sessions/session-snapshot.js';
import type { SessionState } from '../sessions/session-state.js';
import { RunEmitter } from '../loop/run-emitter.js';
import type { AgentRuntime } from '../loop/run-state.js';

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
  store: SessionStore;
  /** Lease owner id of this handle. */
  owner: string;
  /** The lease taken when the handle was opened. */
  lease: SessionLease;
  /** Called once when the handle is closed (the agent forgets it). */
  onClosed?: () => void;
}

/** The run emitter of a session's own runs: it shows the writer what streams, for partial checkpoints. */
export class ObservedEmitter extends RunEmitter {
  readonly #observe: (event: AgentEvent) => void;

  constructor(
    bus: EventBus,
    scope: { sessionId: string; runId: string },
    observe: (event: AgentEvent) => void,
  ) {
    super(bus, scope);
    this.#observe = observe;
  }

  override emit<T extends EventType>(type: T, data: DraftData<T>): AgentEvent<T> {
    const event = super.emit(type, data);
    this.#observe(event);
    return event;
  }
}

/**
 * Writes one session handle's checkpoints to its store, and holds the
 * session's lease while the handle is open. A checkpoint is serialized when
 * it is taken (the snapshot keeps changing) and written after the ones before
 * it; it holds the header and the entries added since the last one, so its
 * cost does not grow with the transcript. Failures are reported, not thrown;
 * a conflict (another writer took the session over) ends the handle's right
 * to write and calls `onLost`.
 */
export class SessionWriter {
  readonly #ownership: SessionOwnership;
  readonly #state: SessionState;
  readonly #runtime: () => AgentRuntime;
  readonly #onLost: (error: AgentCoreError) => void;
  #saving: Promise<void> = Promise.resolve();
  #revision: number;
  /** What the store holds of the transcript, as of the last checkpoint taken (see #serialize). */
  #persisted: {
    transcript: TranscriptEntry[];
    length: number;
    last: TranscriptEntry | undefined;
    /** Its messages as the session list counts them (`countMessages`), kept as entries are added. */
    messages: number;
  };
  /** Entries added at the end since the last checkpoint. */
  #appended = 0;
  /** A write failed: the next one rewrites the whole session. */
  #needsFull = false;
  #lost: AgentCoreError | undefined;
  #released = false;
  /** The lease was given up while the session rests (see {@link rest}); writes need {@link reacquire}. */
  #resting = false;
  #renewTimer: NodeJS.Timeout | undefined;
  #partialTimer: NodeJS.Timeout | undefined;
  #lastCheckpointAt = 0;
  #lastCheckpointSeq: number;

  constructor(options: {
    ownership: SessionOwnership;
    state: SessionState;
    runtime: () => AgentRuntime;
    onLost: (error: AgentCoreError) => void;
  }) {
    this.#ownership = options.ownership;
    this.#state = options.state;
    this.#runtime = options.runtime;
    this.#onLost = options.onLost;
    this.#revision = options.ownership.lease.revision;
    const snapshot = options.state.snapshot;
    const transcript = snapshot.transcript;
    this.#persisted = {
      transcript,
      length: transcript.length,
      last: transcript.at(-1),
      messages: countMessages(transcript),
    };
    this.#lastCheckpointSeq = snapshot.eventHead?.seq ?? 0;
    this.#renewLeaseLater(options.ownership.lease);
  }

  /**
   * Set once another writer has the session (the handle may no longer
   * write), or while the handle rests without its lease (until reacquired).
   */
  get lost(): AgentCoreError | undefined {
    if (this.#lost || !this.#resting) return this.#lost;
    return new AgentCoreError({
      code: 'CORE_SESSION_LOCKED',
      message: `Session ${this.#state.id} was released while idle; it must be reacquired before it is written.`,
      hint: 'Call session.reacquire() first (the web server does on the next request).',
      details: { sessionId: this.#state.id },
    });
  }

  /** True while the handle rests without its lease (see {@link rest}). */
  get resting(): boolean {
    return this.#resting && !this.#lost;
  }

  /** Resolves when every checkpoint taken so far is written (or failed). */
  get saving(): Promise<void> {
    return this.#saving;
  }

  /** An entry was added at the end of the transcript. */
  entryAdded(): void {
    this.#appended += 1;
  }

  /**
   * Tracks what the session's own runs stream: the partial answer (kept in
   * `activeRun.partial`, checkpointed at least every second while the model
   * streams) and how far the event numbering ran since the last checkpoint.
   */
  observe(event: AgentEvent): void {
    const active = this.#state.snapshot.activeRun;
    if (!active || event.runId !== active.runId) return;
    if (event.seq - this.#lastCheckpointSeq >= CHECKPOINT_EVERY_EVENTS) void this.checkpoint();
    // Ifs, not a switch: a switch on the event union must name every type, and the rest stream nothing.
    if (event.type === 'generation.started') this.#state.clearPartial(active.runId);
    else if (event.type === 'message.started')
      this.#state.streamPartial(active.runId, { messageId: event.data.messageId });
    else if (event.type === 'message.delta') {
      this.#state.streamPartial(active.runId, { text: event.data.delta });
      this.#checkpointPartialSoon();
    } else if (event.type === 'reasoning.delta') {
      this.#state.streamPartial(active.runId, { reasoning: event.data.delta });
      this.#checkpointPartialSoon();
    }
  }

  /** Checkpoints the streamed partial answer within {@link PARTIAL_CHECKPOINT_MS} of the last checkpoint. */
  #checkpointPartialSoon(): void {
    if (this.#partialTimer) return;
    const wait = Math.max(0, PARTIAL_CHECKPOINT_MS - (Date.now() - this.#lastCheckpointAt));
    this.#partialTimer = setTimeout(() => {
      this.#partialTimer = undefined;
      void this.checkpoint();
    }, wait);
    this.#partialTimer.unref();
  }

  /**
   * Takes a checkpoint now; resolves when it (and every one before it) is
   * written. `activity: false` keeps `updatedAt` (a rename is not activity).
   */
  checkpoint({ activity = true }: { activity?: boolean } = {}): Promise<void> {
    if (this.#lost || this.#resting) return this.#saving;
    const runtime = this.#runtime();
    const head = runtime.bus.head(this.#state.id);
    // `updatedAt` orders session lists: a rename (activity: false) keeps the session's place.
    this.#state.stamp({
      ...(activity ? { updatedAt: runtime.now() } : {}),
      ...(head ? { eventHead: head } : {}),
    });
    const snapshot = this.#state.snapshot;
    this.#lastCheckpointSeq = head?.seq ?? this.#lastCheckpointSeq;
    this.#lastCheckpointAt = Date.now();
    clearTimeout(this.#partialTimer);
    this.#partialTimer = undefined;
    const checkpoint = this.#serialize(snapshot);
    this.#saving = this.#saving.then(() => this.#write(checkpoint));
    return this.#saving;
  }

  /** Stops renewing the lease and gives it up (close). */
  async release(): Promise<void> {
    this.#stopTimers();
    const { store, owner } = this.#ownership;
    await store
      .releaseLease(this.#state.snapshot.sessionId, owner)
      .catch((error: unknown) => this.#runtime().reportError(toError(error)));
  }

  /**
   * Gives the lease up while the session rests (no run active), once every
   * checkpoint taken so far is written: the store holds all of it, so any
   * process may take the session over. The handle keeps its state; it
   * refuses writes until {@link reacquire}. `canRest` is asked once the
   * writes are done; false keeps the lease.
   */
  async rest(canRest: () => boolean): Promise<boolean> {
    await this.#saving;
    // Checked and marked in one step: a run started meanwhile keeps the lease.
    if (this.#lost || this.#resting || !canRest()) return false;
    this.#resting = true;
    await this.release();
    return true;
  }

  /**
   * Takes the lease back after {@link rest}. True when nobody saved the
   * session meanwhile (the store's revision is the one this handle wrote
   * last, so its state and the bus's numbering are current); false when
   * another writer did, or the session is gone: the lease is given back and
   * the handle must be replaced by a fresh load. Rejects with
   * `CORE_SESSION_LOCKED` while another live writer holds it.
   */
  async reacquire(): Promise<boolean> {
    if (!this.resting) return !this.#lost;
    const { store, owner } = this.#ownership;
    const sessionId = this.#state.id;
    const lease = await store.acquireLease(sessionId, owner);
    if (!lease) return false;
    if (lease.revision !== this.#revision) {
      await store.releaseLease(sessionId, owner);
      return false;
    }
    this.#resting = false;
    this.#released = false;
    this.#renewLeaseLater(lease);
    return true;
  }

  /**
   * The checkpoint of what changed since the last one: the header and the
   * entries added since. Entries are added at the end (entryAdded); anything
   * else that touched the transcript (a compaction inserting its summary, a
   * reset replacing it) shows as a length or identity mismatch, and then the
   * whole transcript is written once.
   */
  #serialize(snapshot: Readonly<SessionSnapshot>): SessionCheckpoint {
    const transcript = snapshot.transcript;
    const before = this.#persisted;
    const appendedOnly =
      transcript === before.transcript &&
      transcript.length === before.length + this.#appended &&
      (before.length === 0 || transcript[before.length - 1] === before.last);
    // Only the new entries are counted: a checkpoint's cost does not grow with the transcript.
    const messages = appendedOnly
      ? before.messages + countMessages(transcript, before.length)
      : countMessages(transcript);
    this.#persisted = {
      transcript,
      length: transcript.length,
      last: transcript.at(-1),
      messages,
    };
    this.#appended = 0;
    return toCheckpoint(snapshot, {
      baseRevision: this.#revision,
      owner: this.#ownership.owner,
      from: appendedOnly ? before.length : 0,
      model: sessionModel(this.#runtime(), snapshot),
      messageCount: messages,
    });
  }

  async #write(checkpoint: SessionCheckpoint): Promise<void> {
    if (this.#lost) return;
    const { store, owner } = this.#ownership;
    const full = this.#needsFull;
    const write = full
      ? toCheckpoint(this.#state.snapshot, {
          baseRevision: this.#revision,
          owner,
          from: 0,
          model: sessionModel(this.#runtime(), this.#state.snapshot),
        })
      : { ...checkpoint, baseRevision: this.#revision };
    try {
      const lease = await store.save(write);
      this.#revision = lease.revision;
      if (full) this.#needsFull = false;
      this.#renewLeaseLater(lease);
    } catch (error) {
      if (error instanceof AgentCoreError && error.code === 'CORE_SESSION_CONFLICT') {
        this.#lose(error);
      } else {
        this.#needsFull = true;
        this.#runtime().reportError(toError(error));
      }
    }
  }

  /**
   * Renews the lease a third of its time before it expires, while the handle
   * is open. The timer holds the writer weakly: a handle dropped without
   * close() is collected, and its lease then simply expires.
   */
  #renewLeaseLater(lease: SessionLease): void {
    if (this.#released) return;
    clearTimeout(this.#renewTimer);
    const self = new WeakRef(this);
    this.#renewTimer = setTimeout(
      () => {
        const writer = self.deref();
        if (writer) writer.#renew();
      },
      Math.max(10, lease.ttlMs / 3),
    );
    this.#renewTimer.unref();
  }

  #renew(): void {
    const { store, owner } = this.#ownership;
    const sessionId = this.#state.snapshot.sessionId;
    store.acquireLease(sessionId, owner).then(
      (renewed) =>
        renewed
          ? this.#renewLeaseLater(renewed)
          : this.#lose(sessionConflict(sessionId, 'it was deleted')),
      (error: unknown) =>
        error instanceof AgentCoreError && error.code === 'CORE_SESSION_LOCKED'
          ? this.#lose(sessionConflict(sessionId, error.message))
          : this.#runtime().reportError(toError(error)),
    );
  }

  #lose(error: AgentCoreError): void {
    if (this.#lost) return;
    this.#lost = error;
    this.#stopTimers();
    this.#onLost(error);
    this.#runtime().reportError(error);
  }

  #stopTimers(): void {
    this.#released = true;
    clearTimeout(this.#renewTimer);
    clearTimeout(this.#partialTimer);
    this.#renewTimer = undefined;
    this.#partialTimer = undefined;
  }
}

/**
 * The model id a session's next run uses, for the session list: its own
 * pick (`snapshot.model`) when the agent it is with offers it, else that
 * agent's default (see `ModelCatalog.forRun`).
 */
export function sessionModel(runtime: AgentRuntime, snapshot: Readonly<SessionSnapshot>): string {
  return runtime.models.forRun(snapshot.model).id;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
