import type { PendingRequest } from '../sessions/session-snapshot.js';

/** An open approval of a call of `toolName` (`call_<requestId>`) on `{ path: '/x' }`. */
export const approvalRequest = (
  requestId: string,
  toolName = 'rm',
): Extract<PendingRequest, { kind: 'approval' }> => ({
  kind: 'approval',
  requestId,
  toolCallId: `call_${requestId}`,
  toolName,
  input: { path: '/x' },
  requestedAt: 2,
});

/** An open question of the `ask_user` tool (`call_<requestId>`). */
export const clarifyRequest = (
  requestId: string,
): Extract<PendingRequest, { kind: 'clarify' }> => ({
  kind: 'clarify',
  requestId,
  toolCallId: `call_${requestId}`,
  question: 'Which file?',
  timeoutMs: 60_000,
  fallbackAnswer: 'none',
  requestedAt: 3,
});
