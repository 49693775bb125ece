import type { AnyEvent } from '@switchboard/events';
import type { Style } from '../../output/style.js';
import { oneLine } from '../../render/item-lines.js';

/** Whether an event passes `--session` and `--type` (a type, or a prefix ending in `.`). */
export function matches(event: AnyEvent, filter: { session?: string; type?: string[] }): boolean {
  if (filter.session !== undefined && event.sessionId !== filter.session) return false;
  if (!filter.type) return true;
  return filter.type.some((type) =>
    type.endsWith('.') ? event.type.startsWith(type) : event.type === type,
  );
}

/** The gist of an event's payload, on one line. */
function gist(event: AnyEvent): string {
  const data = (typeof event.data === 'object' && event.data != null ? event.data : {}) as Record<
    string,
    unknown
  >;
  const pick = (...keys: string[]) =>
    keys
      .map((key) => data[key])
      .filter((value) => value !== undefined)
      .map((value) => oneLine(value, 60))
      .join(' ');
  switch (event.type) {
    case 'message.delta':
    case 'reasoning.delta':
    case 'tool_call.args_delta':
      return JSON.stringify(data.delta ?? '');
    case 'run.finished':
      return pick('stopReason', 'durationMs');
    case 'run.failed':
    case 'generation.retrying':
      return oneLine(
        (data.error as { code?: string; message?: string } | undefined)?.code ?? data.error,
        80,
      );
    case 'notice':
      return pick('severity', 'code', 'message');
    default:
      return pick('toolName', 'status', 'model', 'question', 'text', 'reason');
  }
}

/** `#12  06:48:20.123  message.delta  ses_…  "Hello"`: an event for people. */
export function prettyEvent(event: AnyEvent, style: Style): string {
  const time = new Date(event.ts).toISOString().slice(11, 23);
  const where = [event.sessionId, event.runId].filter(Boolean).join(' ');
  const detail = gist(event);
  return `${style.dim(`#${event.seq}`)}  ${style.dim(time)}  ${style.bold(event.type)}  ${style.dim(where)}${detail ? `  ${detail}` : ''}`;
}
