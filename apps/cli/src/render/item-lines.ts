import type {
  ClarifyItem,
  NoticeItem,
  PendingApproval,
  ToolCallItem,
  ViewItem,
} from '@switchboard/events';
import type { Style } from '../output/style.js';

// One-line forms of timeline items. Pure functions of an item, so the live
// renderer, `sessions show` and the tests print exactly the same lines.

/** The built-in question tool: its question is shown as a clarify item, not as a tool call. */
export const CLARIFY_TOOL = 'ask_user';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A spinner frame for the given time (changes every 100 ms). */
export function spinnerFrame(now: number): string {
  return SPINNER[Math.floor(now / 100) % SPINNER.length]!;
}

/** `12 ms`, `1.2 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** A value on one line, cut to `max` characters with an ellipsis. */
export function oneLine(value: unknown, max = 60): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What a tool call was asked to do: its title, else its arguments on one line. */
export function toolSubject(call: Pick<ToolCallItem, 'title' | 'input' | 'argsText'>): string {
  if (call.title) return call.title;
  if (call.input !== undefined) return oneLine(call.input);
  return oneLine(call.argsText);
}

/** Whether an item will not change any more (a pending question or approval still will). */
export function isSettled(item: ViewItem): boolean {
  switch (item.kind) {
    case 'message':
    case 'reasoning':
      return item.status !== 'streaming';
    case 'tool_call':
      return ['completed', 'failed', 'denied', 'cancelled'].includes(item.status);
    case 'clarify':
      return item.status === 'answered';
    case 'steer':
    case 'notice':
    case 'error':
    case 'compaction':
    case 'handoff':
      return true;
  }
}

/** Whether an item waits for a person (it must not hold back the items after it). */
export function isWaiting(item: ViewItem): boolean {
  return (
    (item.kind === 'tool_call' && item.status === 'awaiting_approval') ||
    (item.kind === 'clarify' && item.status === 'pending')
  );
}

/**
 * The line of a tool call in its current state: `✓ read_file  src/a.ts  12 ms`.
 * `now` gives running calls their elapsed time.
 */
export function toolLine(call: ToolCallItem, style: Style, now?: number): string {
  const name = style.bold(call.toolName);
  const subject = toolSubject(call);
  const what = subject ? `${name}  ${style.dim(subject)}` : name;
  const took =
    call.durationMs !== undefined
      ? `  ${style.dim(formatDuration(call.durationMs))}`
      : now !== undefined && call.startedAt > 0
        ? `  ${style.dim(formatDuration(Math.max(0, now - call.startedAt)))}`
        : '';
  switch (call.status) {
    case 'completed':
      return `${style.green('✓')} ${what}${took}`;
    case 'failed': {
      const error = call.error ? `  ${style.red(oneLine(call.error.message, 80))}` : '';
      return `${style.red('✗')} ${what}${error}${took}`;
    }
    case 'denied': {
      const reason = call.approval?.reason ? ` (${call.approval.reason})` : '';
      return `${style.yellow('⊘')} ${what}  ${style.yellow(`denied${reason}`)}`;
    }
    case 'cancelled':
      return `${style.yellow('⊘')} ${what}  ${style.yellow('cancelled')}${took}`;
    case 'awaiting_approval':
      return `${style.yellow('?')} ${what}  ${style.yellow(`awaiting approval ${call.approval?.approvalId ?? ''}`.trim())}`;
    case 'streaming_args':
    case 'ready':
    case 'running': {
      const progress = call.progress?.message
        ? `  ${style.dim(oneLine(call.progress.message))}`
        : '';
      const mark = now === undefined ? '…' : spinnerFrame(now);
      return `${style.cyan(mark)} ${what}${progress}${took}`;
    }
  }
}

/** A question and its choices; the answer once there is one. */
export function clarifyLines(item: ClarifyItem, style: Style): string[] {
  const lines = [`${style.yellow('?')} ${style.bold(item.question)}`];
  item.choices?.forEach((choice, index) => lines.push(`  ${index + 1}. ${choice}`));
  if (item.status === 'answered') {
    const source = item.source && item.source !== 'user' ? ` (${item.source})` : '';
    lines.push(`  ${style.dim('→')} ${item.answer ?? ''}${style.dim(source)}`);
  }
  return lines;
}

/** `warning CORE_MODEL_FALLBACK: …`, coloured by severity. */
export function noticeLine(item: NoticeItem, style: Style): string {
  const colour =
    item.severity === 'error' ? style.red : item.severity === 'warning' ? style.yellow : style.dim;
  return colour(`${item.severity}${item.code ? ` ${item.code}` : ''}: ${item.message}`);
}

/** The line under an approval prompt: what the tool will do. */
export function approvalLine(approval: PendingApproval, style: Style): string {
  const input = approval.input === undefined ? '' : `  ${style.dim(oneLine(approval.input, 200))}`;
  const reason = approval.reason ? `  (${approval.reason})` : '';
  return `${style.yellow('?')} ${style.bold(approval.toolName ?? 'tool')}${input}${reason}`;
}
