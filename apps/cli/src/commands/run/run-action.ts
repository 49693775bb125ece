import type { Command } from 'commander';
import type { AgentSession, RunHandle, RunResult } from '@switchboard/agent-core';
import { loadCliConfig } from '../../config/load-cli-config.js';
import { usageError } from '../../errors/cli-error.js';
import type { CommandContext } from '../../program/command-context.js';
import { EXIT } from '../../program/exit-codes.js';
import { readAll } from '../../runtime/read-all.js';
import { openCliAgent } from '../../runtime/open-cli-agent.js';
import { openSession, newSessionId } from '../../runtime/open-session.js';
import { readSessionEvents } from '../../runtime/session-events.js';
import { SessionWatcher } from '../../runtime/session-watcher.js';
import { onInterrupt } from '../../runtime/on-interrupt.js';
import { attachRunOutput } from './run-output.js';
import { parseRunRequest, type RunFlags, type RunRequest } from './run-options.js';
import { reportOutcome, reportWaiting } from './run-report.js';

/**
 * `switchboard run`: one run (plus the resumes an approval policy allows) in
 * a new or continued session of the shared store; the exit code says how it
 * ended. Ctrl-C cancels the run, keeping what it produced in the session
 * (exit 130); a second Ctrl-C quits at once.
 */
export async function runAction(context: CommandContext, command: Command): Promise<number> {
  const [promptArgument] = command.processedArgs as [string | undefined];
  const request = parseRunRequest(promptArgument, command.opts<RunFlags>());
  if (request.readsStdin) {
    const text = (await readAll(context.io.stdin)).trim();
    if (text === '') throw usageError('the prompt read from stdin is empty', 'switchboard run');
    request.prompt = text;
  }
  const config = await loadCliConfig(context, request);
  for (const warning of config.warnings) context.output.debug(`config: ${warning}`);
  const cli = await openCliAgent(config, {
    cwd: context.io.cwd,
    env: context.io.env,
    tools: request.tools,
    clarify: false,
    ...(request.maxTurns === undefined ? {} : { maxTurns: request.maxTurns }),
    onError: (error) => context.output.debug(`${error.name}: ${error.message}`),
  });
  try {
    const sessionId = request.sessionId ?? newSessionId();
    const stored = request.sessionId ? await readSessionEvents(cli.log, sessionId) : [];
    const watcher = new SessionWatcher(cli.bus, sessionId, stored);
    const output = attachRunOutput(context, watcher, request.json);
    const interrupt = onInterrupt(() =>
      context.output.info('Cancelling… (Ctrl-C again to quit at once)'),
    );
    try {
      const session = await openSession(cli.agent, sessionId, {
        create: request.prompt !== undefined,
      });
      // A continued session keeps the model it picked, unless --model says otherwise.
      if (request.model !== undefined && session.model !== request.model) {
        await session.setModel(request.model);
      }
      const result = await execute({ session, request, signal: interrupt.signal, context });
      await session.idle();
      await cli.bus.flush();
      output.stop();
      if (result === 'waiting') {
        reportWaiting(context, session);
        return EXIT.AWAITING_INPUT;
      }
      return reportOutcome(context, { session, result, view: watcher.view });
    } finally {
      interrupt.dispose();
      output.stop();
      watcher.stop();
    }
  } finally {
    await cli.close();
  }
}

/**
 * Starts the run (or answers and resumes), then answers approvals as the
 * policy says until the run ends. `'waiting'` when requests are left for a
 * person.
 */
async function execute({
  session,
  request,
  signal,
  context,
}: {
  session: AgentSession;
  request: RunRequest;
  signal: AbortSignal;
  context: CommandContext;
}): Promise<RunResult | 'waiting'> {
  let handle: RunHandle;
  if (request.prompt !== undefined) {
    if (session.status === 'awaiting_input') return 'waiting';
    handle = session.run(request.prompt, { signal });
  } else {
    for (const answer of request.answers) {
      await session.respond(answer.requestId, {
        approved: answer.approved,
        ...(answer.reason === undefined ? {} : { reason: answer.reason }),
      });
    }
    if (unanswered(session).length > 0) return 'waiting';
    handle = session.resume({ signal });
  }
  for (;;) {
    const result = await handle.result;
    if (result.stopReason !== 'awaiting_input') return result;
    const pending = unanswered(session);
    if (request.policy === 'ask' || pending.some((item) => item.kind !== 'approval'))
      return 'waiting';
    const approved = request.policy === 'always';
    for (const item of pending) {
      context.output.debug(
        `${approved ? 'approving' : 'denying'} ${item.requestId} (--approve ${request.policy})`,
      );
      await session.respond(item.requestId, {
        approved,
        reason: `--approve ${request.policy}`,
      });
    }
    handle = session.resume({ signal });
  }
}

function unanswered(session: AgentSession) {
  return session.pendingRequests().filter((item) => !item.response);
}
