import { AgentCoreError } from '../errors/agent-core-error.js';
import {
  SNAPSHOT_VERSION,
  sessionSnapshotSchema,
  type SessionSnapshot,
} from './session-snapshot.js';

/** A stored session as the stores keep it: the header and one JSON text per transcript entry. */
export interface StoredSessionParts {
  header: string;
  entries: readonly string[];
  revision: number;
}

/**
 * Parses a stored session into a full snapshot. Anything unreadable is
 * `CORE_SESSION_CORRUPT` (with the reason), never a silent fresh session:
 * that would lose the user's conversation without a word.
 */
export function parseStoredSnapshot(
  stored: StoredSessionParts,
  sessionId: string,
): SessionSnapshot {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(stored.header) as Record<string, unknown>;
    value.transcript = stored.entries.map((entry) => JSON.parse(entry) as unknown);
  } catch (error) {
    throw corrupt(sessionId, 'it is not valid JSON', error);
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > SNAPSHOT_VERSION) {
    throw corrupt(
      sessionId,
      `it was written by a newer version (snapshot v${version}, this build reads v${SNAPSHOT_VERSION})`,
    );
  }
  const parsed = sessionSnapshotSchema.safeParse({ ...value, revision: stored.revision });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(
      sessionId,
      `${issue?.path.join('.') || 'snapshot'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

function corrupt(sessionId: string, reason: string, cause?: unknown): AgentCoreError {
  return new AgentCoreError({
    code: 'CORE_SESSION_CORRUPT',
    message: `The stored session ${sessionId} cannot be read: ${reason}.`,
    hint: 'Upgrade @switchboard/agent-core, or delete the session from the store.',
    details: { sessionId },
    ...(cause === undefined ? {} : { cause }),
  });
}
