import type { SessionView } from '@switchboard/events/client';
import { formatDuration } from '../lib/format.js';
import type { ConnectionState } from '../state/session-stream-store.js';

const ENDINGS: Record<string, string> = {
  cancelled: 'Stopped. What was written so far is kept.',
  interrupted: 'Interrupted (the server restarted). What was written so far is kept.',
  max_tokens: 'The answer hit the output token limit.',
  max_steps: 'The agent hit its step limit.',
  refusal: 'The model refused.',
  stuck: 'The agent was stopped: it repeated itself without progress.',
};

/**
 * One line under the timeline about the run: working, retrying a model call,
 * or how it ended when that needs saying. It comes from the view model alone,
 * so a run that ended while the connection was down shows its real end.
 */
export function RunStatusLine(props: { view: SessionView; connection: ConnectionState }) {
  const run = props.view.run;
  if (!run) return null;
  let text: string | undefined;
  if (run.status === 'running') {
    text = run.retry
      ? `${run.retry.error.code ?? 'Provider error'}: retrying in ${formatDuration(run.retry.delayMs)} (attempt ${run.retry.nextAttempt})${run.retry.fallbackTo ? ` with ${run.retry.fallbackTo}` : ''}…`
      : props.connection === 'reconnecting'
        ? 'Working… (reconnecting to see the rest)'
        : 'Working…';
  } else if (run.status === 'finished' && run.stopReason) {
    text =
      run.stopReason === 'awaiting_input' ? 'Waiting for your answer.' : ENDINGS[run.stopReason];
  }
  if (!text) return null;
  return (
    <p className={`run-status run-status--${run.status}`} data-stop-reason={run.stopReason}>
      {text}
    </p>
  );
}
