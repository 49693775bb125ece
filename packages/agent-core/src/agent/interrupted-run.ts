import type { AnyEvent, EventLog } from '@switchboard/events';
import type { SessionSnapshot } from '../sessions/session-snapshot.js';

/** One assistant message of a run that died, as far as it reached durable storage. */
export interface InterruptedMessage {
  messageId?: string;
  text: string;
  reasoning: string;
}

/** A run that was in flight when its process died, found by `loadSession`. */
export interface InterruptedRun {
  runId: string;
  startedAt: number;
  /** Latest time the run is known to have been alive (its last checkpoint or logged event). */
  lastSeenAt: number;
  /** What the model streamed that is not in the transcript, oldest first. */
  messages: InterruptedMessage[];
  /** The message still open when the process died (its `message.completed` never came). */
  openMessageId?: string;
  /** The log already holds the run's terminal event: it must not get a second one. */
  ended: boolean;
}

/** Page size of the log read that finds a dead run's last events. */
const READ_PAGE = 1000;

/**
 * What is known of the run a snapshot says was in flight: the partial
 * answer checkpointed while it streamed, continued by whatever the event log
 * stored after that checkpoint (when the bus has a log). `undefined` when no
 * run was in flight.
 */
export async function findInterruptedRun(
  snapshot: SessionSnapshot,
  log: EventLog | undefined,
): Promise<InterruptedRun | undefined> {
  const active = snapshot.activeRun;
  if (!active) return undefined;
  const partial = active.partial;
  const found: InterruptedRun = {
    runId: active.runId,
    startedAt: active.startedAt,
    lastSeenAt: snapshot.updatedAt,
    messages: partial
      ? [
          {
            ...(partial.messageId === undefined ? {} : { messageId: partial.messageId }),
            text: partial.text,
            reasoning: partial.reasoning ?? '',
          },
        ]
      : [],
    ...(partial?.messageId === undefined ? {} : { openMessageId: partial.messageId }),
    ended: false,
  };
  if (!log) return found;
  // Only the events after the last checkpoint: the partial text already holds the earlier ones.
  let after = snapshot.eventHead?.seq ?? 0;
  for (;;) {
    const page = await log.read(snapshot.sessionId, after, READ_PAGE);
    for (const event of page) {
      after = event.seq;
      if (event.runId === found.runId) fold(found, event);
    }
    if (page.length < READ_PAGE) break;
  }
  return found;
}

/** Replays one logged event of the dead run onto what is known of it. */
function fold(run: InterruptedRun, event: AnyEvent): void {
  run.lastSeenAt = Math.max(run.lastSeenAt, event.ts);
  const data = event.data as { messageId?: string; delta?: string; text?: string };
  const current = () => {
    let last = run.messages.at(-1);
    if (!last) run.messages.push((last = { text: '', reasoning: '' }));
    return last;
  };
  switch (event.type) {
    case 'generation.started':
      if (run.messages.at(-1)?.text || run.messages.at(-1)?.reasoning)
        run.messages.push({ text: '', reasoning: '' });
      return;
    case 'reasoning.delta':
      current().reasoning += data.delta ?? '';
      return;
    case 'message.started': {
      const message = current();
      if (message.messageId !== undefined && message.messageId !== data.messageId)
        run.messages.push({ messageId: data.messageId!, text: '', reasoning: '' });
      else message.messageId = data.messageId!;
      run.openMessageId = data.messageId!;
      return;
    }
    case 'message.delta':
      if (current().messageId === data.messageId) current().text += data.delta ?? '';
      return;
    case 'message.completed':
      if (current().messageId === data.messageId && data.text !== undefined)
        current().text = data.text;
      if (run.openMessageId === data.messageId) delete run.openMessageId;
      return;
    case 'run.finished':
    case 'run.failed':
      run.ended = true;
      return;
  }
}
