import { randomUUID } from 'node:crypto';
import type { Agent, AgentSession } from '@switchboard/agent-core';
import { CliError } from '../errors/cli-error.js';

/** A new session id, in agent-core's own format (`ses_<32 hex>`). */
export function newSessionId(): string {
  return `ses_${randomUUID().replaceAll('-', '')}`;
}

/**
 * The session `sessionId`: loaded from the store (taking its lease), or
 * created under that id when it is new and `create` allows it.
 */
export async function openSession(
  agent: Agent,
  sessionId: string,
  options: { create: boolean },
): Promise<AgentSession> {
  try {
    return await agent.loadSession(sessionId);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'CORE_SESSION_NOT_FOUND') throw error;
    if (options.create) return agent.createSession({ id: sessionId });
    throw new CliError({
      code: 'CLI_SESSION_NOT_FOUND',
      message: `No session ${sessionId} in the store.`,
      hint: "List them with 'switchboard sessions list'.",
    });
  }
}
