import type { StoredSessionInfo } from '@switchboard/agent-core';

/** A row of the session list query. */
export interface ListRow {
  session_id: string;
  agent_name: string;
  title: string | null;
  title_source: string | null;
  model: string | null;
  /** bigint columns come back as text (exact). */
  created_at: string;
  updated_at: string;
  message_count: number;
  cost_usd: number | null;
  status: string;
}

const TITLE_SOURCES = new Set(['user', 'model', 'fallback']);
const STATUSES = new Set(['idle', 'running', 'awaiting_input', 'closed']);

/** A list row as agent-core's `StoredSessionInfo` (unknown enum values fall back as in SQLite). */
export function toInfo(row: ListRow): StoredSessionInfo {
  return {
    sessionId: row.session_id,
    agentName: row.agent_name,
    ...(row.title == null ? {} : { title: row.title }),
    ...(isTitleSource(row.title_source) ? { titleSource: row.title_source } : {}),
    ...(row.model == null ? {} : { model: row.model }),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    messageCount: row.message_count,
    ...(row.cost_usd == null ? {} : { costUsd: row.cost_usd }),
    status: isStatus(row.status) ? row.status : 'idle',
  };
}

function isTitleSource(
  value: string | null,
): value is NonNullable<StoredSessionInfo['titleSource']> {
  return value != null && TITLE_SOURCES.has(value);
}

function isStatus(value: string): value is StoredSessionInfo['status'] {
  return STATUSES.has(value);
}
