import { AgentCoreError } from '../errors/agent-core-error.js';
import {
  SNAPSHOT_VERSION,
  sessionSnapshotSchema,
  type SessionSnapshot,
} from './session-snapshot.js';

/**
 * Parses a stored snapshot. Anything unreadable is `CORE_SESSION_CORRUPT`
 * (with the reason), never a silent fresh session: that would lose the
 * user's conversation without a word.
 */
export function parseStoredSnapshot(json: string, sessionId: string): SessionSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(json);
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
  const parsed = sessionSnapshotSchema.safeParse(value);
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
