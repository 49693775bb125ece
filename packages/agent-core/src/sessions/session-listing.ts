import { z } from 'zod';
import type {
  SessionListing,
  SessionPage,
  SessionSnapshot,
  StoredSessionInfo,
  TranscriptEntry,
} from './session-snapshot.js';
import { AgentCoreError, parseCoreOptions } from '../errors/agent-core-error.js';

/**
 * What a session list shows of `snapshot`, computed by the writer at each
 * checkpoint so a store's `list` never reads a snapshot or a transcript.
 * `model` is the `provider:model` the session talks to.
 */
export function toSessionListing(
  snapshot: SessionSnapshot,
  model: string | undefined,
  messageCount: number = countMessages(snapshot.transcript),
): SessionListing {
  return {
    ...(snapshot.title === undefined ? {} : { title: snapshot.title }),
    ...(snapshot.titleSource === undefined ? {} : { titleSource: snapshot.titleSource }),
    ...(model === undefined ? {} : { model }),
    messageCount,
    ...(snapshot.totals.costUsd === undefined ? {} : { costUsd: snapshot.totals.costUsd }),
    status: snapshot.status,
  };
}

/**
 * The messages a person sees in the conversation: user and assistant
 * entries, not tool results, compaction summaries or the loop's nudges.
 * (The SQLite migration counts stored sessions with the same rule in SQL.)
 * With `from`, only the entries from that index on are counted.
 */
export function countMessages(transcript: readonly TranscriptEntry[], from = 0): number {
  let count = 0;
  for (let index = from; index < transcript.length; index++) {
    const { message, display } = transcript[index]!;
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    if (display.source === 'summary' || display.source === 'nudge') continue;
    count += 1;
  }
  return count;
}

const listOptionsSchema = z
  .object({
    /** Rows per page; all of them when omitted. */
    limit: z.number().int().positive().optional(),
    /** `nextCursor` of the previous page. */
    cursor: z.string().min(1).optional(),
    /** Case-insensitive substring of the title (trimmed; empty matches every session). */
    q: z.string().optional(),
  })
  .strict();

/** Where a page starts: after this row of the order (updatedAt desc, sessionId asc). */
export interface ListPosition {
  updatedAt: number;
  sessionId: string;
}

/** `list()` options, validated once (`CORE_INVALID_OPTIONS`, a foreign cursor included). */
export interface ParsedListOptions {
  limit: number | undefined;
  after: ListPosition | undefined;
  /** Lower-cased needle; undefined for no filter. */
  q: string | undefined;
}

/** Validates `list()` options and decodes the cursor. */
export function parseListOptions(options: unknown = {}): ParsedListOptions {
  const parsed = parseCoreOptions(listOptionsSchema, options);
  const q = parsed.q?.trim();
  return {
    limit: parsed.limit,
    after: parsed.cursor === undefined ? undefined : decodeCursor(parsed.cursor),
    q: q ? foldCase(q) : undefined,
  };
}

/** The case folding of `q` matches (both stores use it, so they agree on any script). */
export function foldCase(text: string): string {
  return text.toLowerCase();
}

/** An opaque cursor for the page after `row`. */
export function encodeCursor(row: ListPosition): string {
  return Buffer.from(JSON.stringify([row.updatedAt, row.sessionId])).toString('base64url');
}

function decodeCursor(cursor: string): ListPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== 'number' ||
    typeof value[1] !== 'string'
  )
    throw new AgentCoreError({
      code: 'CORE_INVALID_OPTIONS',
      message: 'Invalid list options: cursor is not one that list() returned.',
      hint: 'Pass the nextCursor of the previous page, or no cursor for the first page.',
    });
  return { updatedAt: value[0], sessionId: value[1] };
}

/** Newest first: `updatedAt` descending, then `sessionId` ascending (a stable order to page through). */
export function compareListed(a: ListPosition, b: ListPosition): number {
  if (a.updatedAt !== b.updatedAt) return b.updatedAt - a.updatedAt;
  return a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0;
}

/** One page of `rows` (any order) for `options`: the in-memory `list`. */
export function pageOf(rows: StoredSessionInfo[], options: ParsedListOptions): SessionPage {
  const { after, q, limit } = options;
  const matching = rows
    .filter((row) => after === undefined || compareListed(after, row) < 0)
    .filter((row) => q === undefined || foldCase(row.title ?? '').includes(q))
    .sort(compareListed);
  const sessions = limit === undefined ? matching : matching.slice(0, limit);
  const last = sessions.at(-1);
  return sessions.length < matching.length && last
    ? { sessions, nextCursor: encodeCursor(last) }
    : { sessions };
}
