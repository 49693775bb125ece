import { toCheckpoint } from '../sessions/session-checkpoint.js';
import type {
  SessionSnapshot,
  SessionStore,
  TranscriptEntry,
} from '../sessions/session-snapshot.js';
import { createEmptySnapshot } from '../sessions/transcript.js';

// Builders of stored sessions, shared by the SessionStore conformance suite and agent-core's own
// store tests (one set, so a change of the snapshot's shape is made once).

/**
 * A transcript entry: a user or assistant text, or a tool result; `source`
 * marks entries a session list does not count as messages (a summary…).
 */
export const transcriptEntry = (
  id: string,
  role: 'user' | 'assistant' | 'tool',
  source?: 'text' | 'summary' | 'nudge' | 'steer',
): TranscriptEntry => ({
  id,
  message:
    role === 'tool'
      ? {
          role,
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c1',
              toolName: 't',
              output: { type: 'text', value: 'ok' },
            },
          ],
        }
      : { role, content: [{ type: 'text', text: `${role} ${id}` }] },
  display: { createdAt: 1, status: 'complete', ...(source ? { source } : {}) },
});

/** An empty session of agent `helper`, created at 5 and last updated at `updatedAt`. */
export const storedSession = (
  sessionId: string,
  updatedAt: number,
  extra: Partial<SessionSnapshot> = {},
): SessionSnapshot => ({
  ...createEmptySnapshot({ sessionId, agentName: 'helper', now: 5 }),
  updatedAt,
  ...extra,
});

/** Creates `value` in the store (as `owner`, default `me`, with `model`); resolves to its revision. */
export async function createStoredSession(
  store: SessionStore,
  value: SessionSnapshot,
  { owner = 'me', model }: { owner?: string; model?: string } = {},
): Promise<number> {
  return (await store.save(toCheckpoint(value, { baseRevision: 0, owner, from: 0, model })))
    .revision;
}
