import { compactionLine, handoffLine, type SessionView, type ViewItem } from '@switchboard/events';
import type { Style } from '../output/style.js';
import {
  CLARIFY_TOOL,
  clarifyLines,
  isSettled,
  isWaiting,
  noticeLine,
  oneLine,
  spinnerFrame,
  toolLine,
} from './item-lines.js';

/** A stream the printer writes to, with its styles. */
export interface PrinterSink {
  write(text: string): void;
  readonly isTTY: boolean;
  readonly style: Style;
  readonly columns?: number;
}

/** Options of {@link TranscriptPrinter}. */
export interface TranscriptPrinterOptions {
  /** Where assistant messages go (`run`: stdout, the result). */
  text: PrinterSink;
  /** Where everything else goes: tool lines, reasoning, questions, notices. @default text */
  notes?: PrinterSink;
  /** Redraw a live line (spinner, running tools with their time) on `notes`; terminals only. */
  live?: boolean;
  /** Print user messages (not when the user just typed them). @default true */
  user?: boolean;
  /** Print reasoning, dimmed. @default true */
  reasoning?: boolean;
  /** Clock for elapsed times. @default Date.now */
  now?: () => number;
}

const CLEAR_LINE = '\r\u001b[2K';
// eslint-disable-next-line no-control-regex -- matching the escape codes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Prints a session's timeline as it grows, from successive
 * {@link SessionView}s of `reduceSession` (it never reads events itself, so
 * what it shows is what every other surface shows). Items print in order:
 * messages and reasoning stream as they come, a tool call prints one line
 * when it settles (`✓ read_file  src/a.ts  12 ms`), and while something is
 * running a live line (terminals only) shows a spinner, the running tools
 * and their time. An item waiting for a person (an approval, a question) is
 * announced at once and does not hold back what follows; its outcome is
 * printed when it comes.
 */
export class TranscriptPrinter {
  readonly #text: PrinterSink;
  readonly #notes: PrinterSink;
  readonly #live: boolean;
  readonly #user: boolean;
  readonly #reasoning: boolean;
  readonly #now: () => number;
  #view: SessionView | undefined;
  /** First item not printed in full. */
  #next = 0;
  /** Characters of the item at `#next` already printed (a streaming message or reasoning). */
  #streamed = 0;
  /** Announced items waiting for a person, by position. */
  readonly #waiting = new Set<number>();
  #liveShown = false;
  /** Items printed ahead of their turn (steers), by position. */
  readonly #early = new Set<number>();
  /** Sinks whose last write did not end a line (a message still streaming). */
  readonly #midLine = new Set<PrinterSink>();

  constructor(options: TranscriptPrinterOptions) {
    this.#text = options.text;
    this.#notes = options.notes ?? options.text;
    this.#live = (options.live ?? false) && this.#notes.isTTY;
    this.#user = options.user ?? true;
    this.#reasoning = options.reasoning ?? true;
    this.#now = options.now ?? Date.now;
  }

  /** Prints what `view` adds to the last one. */
  update(view: SessionView): void {
    this.#view = view;
    this.#clearLive();
    this.#settleWaiting(view);
    while (this.#next < view.items.size) {
      const item = view.items.get(this.#next)!;
      if (!this.#early.has(this.#next) && !this.#printItem(item)) break;
      this.#early.delete(this.#next);
      this.#next += 1;
      this.#streamed = 0;
    }
    // A steer is the user's own words: confirm it at once, not after what is streaming.
    for (let position = this.#next + 1; position < view.items.size; position++) {
      const item = view.items.get(position)!;
      if (item.kind !== 'steer' || this.#early.has(position)) continue;
      this.#printSettled(item);
      this.#early.add(position);
    }
    this.#drawLive();
  }

  /**
   * Starts after what `view` already holds, without printing it (a continued
   * session): items waiting for a person are remembered, so their outcome
   * prints when it comes.
   */
  skipTo(view: SessionView): void {
    this.#view = view;
    this.#next = view.items.size;
    this.#streamed = 0;
    for (let position = 0; position < view.items.size; position++) {
      if (isWaiting(view.items.get(position)!)) this.#waiting.add(position);
    }
  }

  /** Redraws the live line (elapsed times, spinner); call it on a timer while a run is going. */
  tick(): void {
    if (!this.#liveShown && !this.#view) return;
    this.#clearLive();
    this.#drawLive();
  }

  /** Erases the live line, e.g. before asking a question or at the end. */
  suspend(): void {
    this.#clearLive();
  }

  /** True when `item` is never printed by this printer. */
  #hidden(item: ViewItem): boolean {
    if (item.kind === 'message') return item.role === 'user' && !this.#user;
    if (item.kind === 'reasoning') return !this.#reasoning;
    // The question tool is shown as its question (a clarify item).
    return item.kind === 'tool_call' && item.toolName === CLARIFY_TOOL;
  }

  /** Prints the item at `#next` as far as it goes; true when it is done (or waiting). */
  #printItem(item: ViewItem): boolean {
    if (this.#hidden(item)) return true;
    const notes = this.#notes.style;
    if (item.kind === 'message' || item.kind === 'reasoning') {
      // A sub-agent's answer is a step of the run, not its result: it goes with the notes.
      const child = item.parentRunId !== undefined;
      const sink = item.kind === 'message' && !child ? this.#text : this.#notes;
      const prefix = `${child ? '  ↳ ' : ''}${
        item.kind === 'reasoning'
          ? 'thinking: '
          : item.role === 'user'
            ? `${sink.style.bold('›')} `
            : ''
      }`;
      const dim = item.kind === 'reasoning' || child;
      const delta = item.text.slice(this.#streamed);
      if (delta) {
        const shown = this.#streamed === 0 ? `${prefix}${delta}` : delta;
        this.#write(sink, dim ? sink.style.dim(shown) : shown, shown.endsWith('\n'));
        this.#streamed = item.text.length;
      }
      if (!isSettled(item)) return false;
      this.newLine();
      if (item.status !== 'completed') this.#note(notes.yellow(`⊘ ${item.kind} ${item.status}`));
      return true;
    }
    if (isWaiting(item)) {
      this.#announce(item);
      this.#waiting.add(this.#next);
      return true;
    }
    if (!isSettled(item)) return false;
    this.#printSettled(item);
    return true;
  }

  /** The outcome of items that were waiting, once they have one. */
  #settleWaiting(view: SessionView): void {
    for (const position of [...this.#waiting]) {
      const item = view.items.get(position);
      if (item === undefined || !isSettled(item)) continue;
      this.#waiting.delete(position);
      if (item.kind === 'clarify') {
        const answer = clarifyLines(item, this.#notes.style).at(-1)!;
        this.#note(answer);
      } else this.#printSettled(item);
    }
  }

  #announce(item: ViewItem): void {
    const style = this.#notes.style;
    if (item.kind === 'tool_call') this.#note(toolLine(item, style));
    else if (item.kind === 'clarify')
      for (const line of clarifyLines(item, style)) this.#note(line);
  }

  #printSettled(item: ViewItem): void {
    const style = this.#notes.style;
    switch (item.kind) {
      case 'tool_call':
        return this.#note(toolLine(item, style));
      case 'clarify':
        for (const line of clarifyLines(item, style)) this.#note(line);
        return;
      case 'steer':
        return this.#note(
          style.cyan(
            `↪ steer: ${item.text}${item.mode ? style.dim(` (${item.mode.replace('_', ' ')})`) : ''}`,
          ),
        );
      case 'notice':
        return this.#note(noticeLine(item, style));
      case 'error':
        return this.#note(
          style.red(
            `✗ ${item.error.code ? `${item.error.code}: ` : ''}${oneLine(item.error.message, 400)}`,
          ),
        );
      case 'compaction':
        return this.#note(style.dim(`── ${compactionLine(item)}`));
      case 'handoff':
        return this.#note(style.cyan(`⇢ ${handoffLine(item)}`));
      case 'message':
      case 'reasoning':
        return; // streamed by #printItem
    }
  }

  #note(line: string): void {
    this.newLine();
    this.#write(this.#notes, `${line}\n`, true);
  }

  #write(sink: PrinterSink, text: string, endsLine: boolean): void {
    sink.write(text);
    if (endsLine) this.#midLine.delete(sink);
    else this.#midLine.add(sink);
  }

  /**
   * Ends a line left open by streamed text, so what comes next (a note, a
   * message of the caller) starts at the beginning of a line.
   */
  newLine(): void {
    this.#clearLive();
    for (const sink of this.#midLine) sink.write('\n');
    this.#midLine.clear();
  }

  /** The live line: running tools at the head of the timeline, else a spinner while the model thinks. */
  #liveText(): string | undefined {
    const view = this.#view;
    if (!this.#live || !view || view.run?.status !== 'running') return undefined;
    const now = this.#now();
    const style = this.#notes.style;
    const head = view.items.get(this.#next);
    if (head && (head.kind === 'message' || head.kind === 'reasoning') && head.text)
      return undefined;
    const running: string[] = [];
    for (let position = this.#next; position < view.items.size; position++) {
      const item = view.items.get(position)!;
      if (item.kind !== 'tool_call' || this.#hidden(item) || isSettled(item) || isWaiting(item))
        break;
      running.push(toolLine(item, style, now));
    }
    if (running.length > 0) return running.join('   ');
    if (view.clarifications.length > 0 || view.approvals.length > 0) return undefined;
    const retry = view.run.retry;
    const what = retry
      ? `retrying (attempt ${retry.nextAttempt}): ${oneLine(retry.error.message, 60)}`
      : 'thinking…';
    return `${style.cyan(spinnerFrame(now))} ${style.dim(what)}`;
  }

  #drawLive(): void {
    const text = this.#liveText();
    if (text === undefined) return;
    const width = (this.#notes.columns ?? 80) - 1;
    const plain = text.replace(ANSI, '');
    this.#notes.write(
      `${CLEAR_LINE}${plain.length > width ? `${plain.slice(0, width - 1)}…` : text}`,
    );
    this.#liveShown = true;
  }

  #clearLive(): void {
    if (!this.#liveShown) return;
    this.#notes.write(CLEAR_LINE);
    this.#liveShown = false;
  }
}
