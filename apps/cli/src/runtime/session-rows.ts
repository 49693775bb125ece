import type { SqliteSessionStore } from '@switchboard/agent-core';
import { reduceEvents, type EventLog } from '@switchboard/events';

/** How many first events are read for a session's preview. */
const PREVIEW_EVENTS = 20;

/** A stored session as lists show it. */
export interface SessionRow {
  sessionId: string;
  updatedAt: number;
  agentName: string;
  /** The session title, else its first user message. */
  title?: string;
}

/**
 * The most recently updated sessions with a preview: the title from the
 * session's first events, else its first user message (reduced with
 * `reduceEvents`, as every surface reads events).
 */
export async function sessionRows(
  store: SqliteSessionStore,
  log: EventLog | undefined,
  limit: number,
): Promise<SessionRow[]> {
  const sessions = await store.list({ limit });
  const rows: SessionRow[] = [];
  for (const session of sessions) {
    const first = log ? await log.read(session.sessionId, 0, PREVIEW_EVENTS) : [];
    const view = reduceEvents(first);
    const user = [...view.items].find((item) => item.kind === 'message' && item.role === 'user');
    const title = view.title ?? (user?.kind === 'message' ? user.text : undefined);
    rows.push({ ...session, ...(title === undefined ? {} : { title }) });
  }
  return rows;
}

/** `ses_…  2026-12-01 06:48:20  switchboard  first message`. */
export function formatSessionRow(
  row: SessionRow,
  style: { bold(text: string): string; dim(text: string): string },
): string {
  const updated = new Date(row.updatedAt).toISOString().replace('T', ' ').slice(0, 19);
  const title = (row.title ?? '').replace(/\s+/g, ' ').trim();
  const shown = title.length > 60 ? `${title.slice(0, 59)}…` : title;
  return `${style.bold(row.sessionId)}  ${style.dim(updated)}  ${style.dim(row.agentName)}  ${shown}`.trimEnd();
}
