import type { LanguageModelV3Message } from '@ai-sdk/provider';
import { titleSourceSchema, tokenUsageSchema, type TitleSource } from '@switchboard/events';
import { z } from 'zod';

/** Version of the persisted snapshot format; bump with a migration in the stores. */
export const SNAPSHOT_VERSION = 1 as const;

/**
 * A provider message as the AI SDK spec defines it. Only `role` is checked on
 * load: the content is the spec's own union and is sent to providers as is.
 */
const providerMessageSchema = z.custom<LanguageModelV3Message>(
  (value) =>
    typeof value === 'object' &&
    value != null &&
    ['system', 'user', 'assistant', 'tool'].includes((value as { role?: string }).role ?? ''),
  { message: 'expected an AI SDK message with a role of system, user, assistant or tool' },
);

/**
 * Display-only facts about a transcript entry. None of it is sent to a
 * provider: the UI uses it to show what happened (a cancelled partial answer,
 * an error, a steer), the loop uses it to decide what to send.
 */
export const entryDisplaySchema = z.looseObject({
  /** Epoch ms when the entry was added. */
  createdAt: z.number(),
  /**
   * `partial`: cut short by cancel (kept in context); `interrupted`: cut short
   * because the process died mid-run (what reached a checkpoint or the event
   * log, kept in context), or by the user speaking over a voice reply (only
   * what was spoken is kept, see `spokenMs`); `error`: shown but never sent.
   */
  status: z.enum(['complete', 'partial', 'interrupted', 'error']).default('complete'),
  /** Where a user entry came from. */
  source: z.enum(['text', 'voice', 'steer', 'nudge', 'summary', 'clarify']).optional(),
  /** Replaced by a compaction summary: shown in the transcript, not sent. */
  archived: z.boolean().optional(),
  /** Error shown to the user for `status: error` entries. */
  error: z.looseObject({ code: z.string(), message: z.string() }).optional(),
  /** Voice: audio of this assistant entry played before a barge-in cut it (`status: interrupted`). */
  spokenMs: z.number().nonnegative().optional(),
  /** Per tool call (by id) that was cancelled, denied or failed, for display. */
  toolStatus: z
    .record(z.string(), z.enum(['completed', 'failed', 'denied', 'cancelled']))
    .optional(),
});
export type EntryDisplay = z.output<typeof entryDisplaySchema>;

/** One transcript entry: the provider message plus display-only metadata. */
export const transcriptEntrySchema = z.object({
  /** Stable id (the `messageId` of the events that produced it). */
  id: z.string(),
  /** The run that added it. */
  runId: z.string().optional(),
  /** Exactly what goes to the provider (API-safe fields only). */
  message: providerMessageSchema,
  display: entryDisplaySchema,
});
export type TranscriptEntry = z.output<typeof transcriptEntrySchema>;

/** A request for outside input that paused a run. */
export const pendingRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('approval'),
    requestId: z.string(),
    toolCallId: z.string(),
    toolName: z.string(),
    input: z.unknown(),
    reason: z.string().optional(),
    requestedAt: z.number(),
    /** Filled by respond(); the run resumes once every request has one. */
    response: z
      .object({
        approved: z.boolean(),
        reason: z.string().optional(),
        always: z.boolean().optional(),
      })
      .optional(),
  }),
  z.object({
    kind: z.literal('clarify'),
    requestId: z.string(),
    toolCallId: z.string(),
    question: z.string(),
    choices: z.array(z.string()).optional(),
    timeoutMs: z.number().int().positive(),
    fallbackAnswer: z.string(),
    requestedAt: z.number(),
    response: z.object({ answer: z.string(), source: z.enum(['user', 'timeout']) }).optional(),
  }),
]);
export type PendingRequest = z.output<typeof pendingRequestSchema>;

/** Where a paused run stopped, so `resume()` can continue it in any process. */
export const pausedRunSchema = z.object({
  runId: z.string(),
  stepIndex: z.number().int().nonnegative(),
  /** The tool calls of the paused step, in the model's order. */
  toolCalls: z.array(
    z.object({
      toolCallId: z.string(),
      toolName: z.string(),
      /** As events show it: redacted when `redact.toolInput` found a secret in it. */
      input: z.unknown(),
      /**
       * `input` is redacted: the real arguments are never stored, only held in
       * the memory of the process that paused the run.
       */
      redacted: z.boolean().optional(),
    }),
  ),
  /** Results of calls of that step that already ran (no approval needed). */
  results: z.record(z.string(), z.unknown()),
});

/** Running totals of a session. */
export const usageTotalsSchema = z.object({
  usage: tokenUsageSchema,
  /** Estimated cost in USD, when a price is known for every model used. */
  costUsd: z.number().nonnegative().optional(),
  /** Model calls made. */
  apiCalls: z.number().int().nonnegative(),
});
export type UsageTotals = z.output<typeof usageTotalsSchema>;

/**
 * The run in flight when the snapshot was taken. Found on load, it means the
 * process died mid-run: the next process ends that run as `interrupted` and
 * keeps `partial` (the text streamed so far, checkpointed at least every
 * second while the model streams).
 */
export const activeRunSchema = z.object({
  runId: z.string(),
  startedAt: z.number(),
  partial: z
    .object({
      messageId: z.string().optional(),
      text: z.string(),
      reasoning: z.string().optional(),
    })
    .optional(),
});
export type ActiveRun = z.output<typeof activeRunSchema>;

/** Everything a session needs to continue after a restart. JSON-safe. */
export const sessionSnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  sessionId: z.string(),
  agentName: z.string(),
  userId: z.string().optional(),
  /**
   * The model id the session's runs use (one of `agent.models`); set by
   * `createSession` and `setModel`. Absent in snapshots written before
   * per-session models: those run on the agent's default model.
   */
  model: z.string().min(1).optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  status: z.enum(['idle', 'running', 'awaiting_input', 'closed']),
  /** The session's title (`session.title_updated`); kept by `reset()`. */
  title: z.string().min(1).max(200).optional(),
  /** Who set `title`: the user, the title model, or the fallback from the first message. */
  titleSource: titleSourceSchema.optional(),
  /** Runs started in this session (the "turn" number of hooks and traces). */
  turn: z.number().int().nonnegative(),
  transcript: z.array(transcriptEntrySchema),
  pending: z.array(pendingRequestSchema),
  paused: pausedRunSchema.optional(),
  /** Tools the user allowed for the rest of the session ("always allow"); cleared by reset. */
  approvedTools: z.array(z.string()).optional(),
  /** Steer texts that arrived after the last run ended: the next user message. */
  queuedSteers: z.array(z.object({ steerId: z.string(), text: z.string() })),
  totals: usageTotalsSchema,
  /** Free-form application state (JSON). */
  state: z.record(z.string(), z.unknown()).optional(),
  /** See {@link activeRunSchema}. */
  activeRun: activeRunSchema.optional(),
  /**
   * The session's event sequence (`bus.head`) at this checkpoint. Without an
   * event log, a new process continues numbering from here, so no two events
   * of a session share a `seq`.
   */
  eventHead: z.object({ seq: z.number().int().nonnegative(), ts: z.number() }).optional(),
  /**
   * The store's write counter, set by `load` and `save`. Saves are
   * compare-and-swap on it: a writer working from an old revision is refused.
   */
  revision: z.number().int().nonnegative().optional(),
});
export type SessionSnapshot = z.output<typeof sessionSnapshotSchema>;

/**
 * One checkpoint of a session, serialized at the moment it was taken (the
 * live snapshot keeps changing while the write is queued). Only what changed
 * is in it: the header (everything but the transcript) and the transcript
 * entries from position `from` on; entries before `from` are kept as stored.
 * A run's checkpoint therefore costs the same at turn 500 as at turn 1.
 */
export interface SessionCheckpoint {
  sessionId: string;
  agentName: string;
  createdAt: number;
  updatedAt: number;
  /** The revision this write is based on: `0` creates the session (refused if it exists). */
  baseRevision: number;
  /** The lease owner writing; refused unless it holds the session's lease. */
  owner: string;
  /** JSON of the snapshot without `transcript` and `revision`. */
  header: string;
  /** Position of the first entry in `entries`; stored entries from here on are replaced. */
  from: number;
  /** Transcript entries `from`, `from + 1`, … as JSON; the transcript ends after them. */
  entries: string[];
  /** What `list` returns of the session, kept next to the snapshot so listing reads no snapshot. */
  listing: SessionListing;
}

/** A writer's hold on a session (see {@link SessionStore.acquireLease}). */
export interface SessionLease {
  /** The stored revision. */
  revision: number;
  /** Epoch ms (store clock) after which another owner may take the session over. */
  expiresAt: number;
  /** How long a lease lasts; the holder renews it well before. */
  ttlMs: number;
}

/**
 * Where sessions live between runs and across restarts. One writer per
 * session: a writer holds a lease (owner + expiry, renewed while it works),
 * and every `save` is compare-and-swap on the stored revision and checks the
 * lease, so two handles on one session can never both write (the loser gets
 * `CORE_SESSION_LOCKED` or `CORE_SESSION_CONFLICT`, nothing is overwritten).
 * `load` validates the whole snapshot (a corrupt or newer snapshot is an
 * error with a stable code, never a silent reset).
 */
export interface SessionStore {
  /** The full, validated snapshot with its `revision`, or `undefined`. */
  load(sessionId: string): Promise<SessionSnapshot | undefined>;
  /**
   * Writes a checkpoint atomically and renews the writer's lease; resolves to
   * the new lease. `CORE_SESSION_CONFLICT` when the stored revision is not
   * `baseRevision` or another owner holds the lease (or, for `baseRevision`
   * 0, when the session exists).
   */
  save(checkpoint: SessionCheckpoint): Promise<SessionLease>;
  /**
   * Takes (or renews) the session's lease for `owner`: granted when it is
   * free, expired, already `owner`'s, or held by a process of this host that
   * has died. Otherwise `CORE_SESSION_LOCKED`. `undefined` when there is no
   * such session.
   */
  acquireLease(sessionId: string, owner: string): Promise<SessionLease | undefined>;
  /** Gives the lease up (no-op unless `owner` holds it). */
  releaseLease(sessionId: string, owner: string): Promise<void>;
  /** Removes the session and its transcript. No-op for an unknown id. */
  delete(sessionId: string): Promise<void>;
  /**
   * A page of sessions, most recently updated first (`updatedAt` descending,
   * then `sessionId` ascending), without reading any transcript. `q` keeps
   * the sessions whose title contains it (case-insensitive); `cursor` is the
   * previous page's `nextCursor`. Bad options are `CORE_INVALID_OPTIONS`.
   */
  list(options?: SessionListOptions): Promise<SessionPage>;
  close?(): Promise<void>;
}

/** Options of {@link SessionStore.list}. */
export interface SessionListOptions {
  /** Sessions per page (a positive integer); every matching session when omitted. */
  limit?: number;
  /** The `nextCursor` of the previous page (opaque). */
  cursor?: string;
  /** A case-insensitive substring of the title; trimmed, and empty matches every session. */
  q?: string;
}

/** One page of {@link SessionStore.list}. */
export interface SessionPage {
  sessions: StoredSessionInfo[];
  /** Set when more sessions follow: pass it as `cursor` for the next page. */
  nextCursor?: string;
}

/** What a session list shows, besides identity and times (see {@link StoredSessionInfo}). */
export interface SessionListing {
  /** The session's title, once it has one. */
  title?: string;
  /** Who set the title: the user, the title model, or the fallback from the first message. */
  titleSource?: TitleSource;
  /**
   * `provider:model` the session talks to. Absent for sessions stored by an
   * earlier version and not saved since.
   */
  model?: string;
  /** User and assistant messages (not tool results, compaction summaries or nudges). */
  messageCount: number;
  /** Estimated cost so far in USD; absent until a priced model call. */
  costUsd?: number;
  status: SessionSnapshot['status'];
}

/** A row of {@link SessionStore.list}. */
export interface StoredSessionInfo extends SessionListing {
  sessionId: string;
  agentName: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the session's last activity (a run, a load, a close; not a title change). */
  updatedAt: number;
}
