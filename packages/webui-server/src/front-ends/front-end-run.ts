import type { AgentSession } from '@switchboard/agent-core';
import { WebuiServerError } from '../errors/webui-server-error.js';
import type { ApprovalAnswer, RunService, StartRunInput } from '../runs/run-service.js';
import type { ChatFile } from './chat-files.js';

/** What a front end's request asks for: a new user message, or answers to a paused run's approvals. */
export type FrontEndAction =
  | { kind: 'message'; input: StartRunInput; files?: ChatFile[] }
  | { kind: 'answers'; answers: ApprovalAnswer[] };

/**
 * Carries out a front end's request and names the run whose output the
 * response streams: the run a message started (or, for a retried message
 * id, the run it started before), or the run the answers resumed. With
 * answers that resume nothing (other requests still wait) there is nothing
 * to stream: `undefined`. Answers that are all answered already (a retried
 * request) stream the session's active run, the one they resumed; with no
 * run active it is `409 WEBUI_NOTHING_TO_ANSWER`.
 */
export async function startFrontEndRun(
  runs: RunService,
  session: AgentSession,
  action: FrontEndAction,
): Promise<string | undefined> {
  if (action.kind === 'message') return (await runs.start(session, action.input)).runId;
  const { answered, resumedRunId } = await runs.answerApprovals(session, action.answers);
  if (resumedRunId !== undefined) return resumedRunId;
  if (answered.length > 0) return undefined;
  const active = runs.activeRun(session.id);
  if (active !== undefined) return active;
  throw new WebuiServerError({
    code: 'WEBUI_NOTHING_TO_ANSWER',
    message: `None of the ${action.answers.length} approval(s) sent is pending in session ${session.id}.`,
    hint: 'They were answered already; reload the conversation (GET /api/sessions/:id).',
  });
}
