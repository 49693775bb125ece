import type { AgentSession, RunResult } from '@switchboard/agent-core';
import type { SessionView } from '@switchboard/events';
import { formatError, printableError } from '../../errors/format-error.js';
import type { CommandContext } from '../../program/command-context.js';
import { EXIT } from '../../program/exit-codes.js';
import { formatDuration, oneLine } from '../../render/item-lines.js';
import { usageText } from '../../render/usage-text.js';

/**
 * Tells how a run ended (stderr) and returns the exit code: 0 for an
 * answer (`completed`, `max_tokens`, `refusal`), 1 for a failed run or one
 * stopped without an answer (`max_steps`, `stuck`), 130 when cancelled.
 */
export function reportOutcome(
  context: CommandContext,
  { session, result, view }: { session: AgentSession; result: RunResult; view: SessionView },
): number {
  const { output } = context;
  const took =
    view.run?.durationMs === undefined ? '' : ` · ${formatDuration(view.run.durationMs)}`;
  const summary = `session ${session.id} · ${result.stopReason}${took} · ${usageText(view.usage)}`;
  switch (result.stopReason) {
    case 'completed':
    case 'refusal':
      output.info(output.errStyle.dim(summary));
      return EXIT.OK;
    case 'max_tokens':
      output.warn('the answer was cut at the model’s output token limit.');
      output.info(output.errStyle.dim(summary));
      return EXIT.OK;
    case 'cancelled':
    case 'interrupted':
      output.info(
        output.errStyle.dim(
          `${summary} · what was produced is kept; continue with --session ${session.id}`,
        ),
      );
      return EXIT.CANCELLED;
    case 'failed': {
      const error = printableError(result.error) ?? {
        code: 'CORE_INTERNAL',
        message: result.error?.message ?? 'The run failed.',
      };
      output.stderr.write(formatError(error));
      output.info(output.errStyle.dim(summary));
      return EXIT.FAILED;
    }
    case 'awaiting_input': // reported by reportWaiting before this is reached
    case 'max_steps':
    case 'stuck':
      output.stderr.write(
        formatError({
          code: 'CLI_RUN_STOPPED',
          message: `the run stopped without an answer (${result.stopReason}).`,
          hint:
            result.stopReason === 'max_steps'
              ? 'Raise --max-turns, or continue with --session.'
              : 'Rephrase the request, or continue with --session.',
        }),
      );
      output.info(output.errStyle.dim(summary));
      return EXIT.FAILED;
  }
}

/** Lists what the session waits for and how to answer (stderr, even with `--quiet`). */
export function reportWaiting(context: CommandContext, session: AgentSession): void {
  const style = context.output.errStyle;
  const pending = session.pendingRequests().filter((request) => !request.response);
  const lines = [
    `switchboard: session ${session.id} is waiting for ${pending.length} answer(s):`,
    ...pending.map((request) =>
      request.kind === 'approval'
        ? `  ${style.bold(request.requestId)}  ${request.toolName}  ${style.dim(oneLine(request.input, 120))}`
        : `  ${style.bold(request.requestId)}  question: ${request.question}`,
    ),
  ];
  const first = pending[0]?.requestId ?? '<requestId>';
  lines.push(
    `approve: switchboard run --session ${session.id} --approve ${first}`,
    `deny:    switchboard run --session ${session.id} --deny ${first} --reason "…"`,
  );
  context.output.stderr.write(`${lines.join('\n')}\n`);
}
