import type { AgentEvent, AnyEvent, EventLog } from '@switchboard/events';
import type { SessionSnapshot, TranscriptEntry } from '../sessions/session-snapshot.js';
import type { RunEmitter } from './run-emitter.js';
import type { SessionCore } from './run-state.js';

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

/** The event types that carry the dead run's answer or its end. */
type ReplayedType =
  | 'generation.started'
  | 'reasoning.delta'
  | 'message.started'
  | 'message.delta'
  | 'message.completed'
  | 'run.finished'
  | 'run.failed';

const REPLAYED_TYPES: ReadonlySet<string> = new Set<ReplayedType>([
  'generation.started',
  'reasoning.delta',
  'message.started',
  'message.delta',
  'message.completed',
  'run.finished',
  'run.failed',
]);

const isReplayed = (event: AnyEvent): event is AgentEvent<ReplayedType> =>
  REPLAYED_TYPES.has(event.type);

/** Replays one logged event of the dead run onto what is known of it. */
function fold(run: InterruptedRun, event: AnyEvent): void {
  run.lastSeenAt = Math.max(run.lastSeenAt, event.ts);
  // Tool calls, usage, steps, newer types…: nothing of the answer, only that the run was alive.
  if (!isReplayed(event)) return;
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
      current().reasoning += event.data.delta;
      return;
    case 'message.started': {
      const { messageId } = event.data;
      const message = current();
      if (message.messageId !== undefined && message.messageId !== messageId)
        run.messages.push({ messageId, text: '', reasoning: '' });
      else message.messageId = messageId;
      run.openMessageId = messageId;
      return;
    }
    case 'message.delta':
      if (current().messageId === event.data.messageId) current().text += event.data.delta;
      return;
    case 'message.completed': {
      const { messageId, text } = event.data;
      if (current().messageId === messageId && text !== undefined) current().text = text;
      if (run.openMessageId === messageId) delete run.openMessageId;
      return;
    }
    case 'run.finished':
    case 'run.failed':
      run.ended = true;
      return;
  }
}

/**
 * Ends a run found in flight when the session was loaded: what it streamed
 * becomes transcript entries marked `interrupted` (unless already there), and
 * the run gets its one terminal event, `run.finished { stopReason:
 * 'interrupted' }` (unless the event log shows it already ended), after a
 * `message.completed { status: 'interrupted' }` for the message left open.
 */
export function endInterruptedRun(
  run: InterruptedRun,
  { emitter, session, now }: { emitter: RunEmitter; session: SessionCore; now: () => number },
): void {
  const known = new Set(session.state.snapshot.transcript.map((entry) => entry.id));
  for (const message of run.messages) {
    if (message.messageId !== undefined && known.has(message.messageId)) continue;
    const content: Extract<TranscriptEntry['message'], { role: 'assistant' }>['content'] = [];
    if (message.reasoning) content.push({ type: 'reasoning', text: message.reasoning });
    if (message.text) content.push({ type: 'text', text: message.text });
    if (content.length === 0) continue;
    session.addEntry({
      ...(message.messageId === undefined ? {} : { id: message.messageId }),
      runId: run.runId,
      message: { role: 'assistant', content },
      display: { createdAt: now(), status: 'interrupted' },
    });
  }
  session.state.endRun();
  if (run.ended) return;
  if (run.openMessageId !== undefined) {
    const open = run.messages.find((message) => message.messageId === run.openMessageId);
    emitter.emit('message.completed', {
      messageId: run.openMessageId,
      text: open?.text ?? '',
      status: 'interrupted',
    });
  }
  emitter.emit('run.finished', {
    stopReason: 'interrupted',
    durationMs: Math.max(0, run.lastSeenAt - run.startedAt),
  });
}
