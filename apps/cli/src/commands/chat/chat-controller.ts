import type { Interface as ReadLine } from 'node:readline';
import type { AgentSession, RunHandle } from '@switchboard/agent-core';
import type { PendingApproval, PendingClarify, SessionView } from '@switchboard/events';
import { formatError, printableError } from '../../errors/format-error.js';
import type { CommandContext } from '../../program/command-context.js';
import { streamSink } from '../../render/sinks.js';
import { TranscriptPrinter } from '../../render/transcript-printer.js';
import type { CliAgent } from '../../runtime/open-cli-agent.js';
import { readSessionEvents } from '../../runtime/session-events.js';
import { SessionWatcher } from '../../runtime/session-watcher.js';
import { runSlashCommand } from './slash-commands.js';

/** Two Ctrl-C within this long exit. */
const DOUBLE_INTERRUPT_MS = 3000;

/** What the chat is doing. */
type ChatState = 'idle' | 'running' | 'closing';

/** What {@link ChatController} works with. */
export interface ChatControllerOptions {
  context: CommandContext;
  cli: CliAgent;
  rl: ReadLine;
  /** stdin and stdout are a terminal: prompts, live line, Ctrl-C through readline. */
  terminal: boolean;
  /**
   * readline's echo of typed keys (terminal only): muted while an answer
   * streams, so keys never land inside it, and on again at every prompt,
   * which shows what was typed meanwhile.
   */
  echo?: { mute(): void; unmute(): void };
}

/**
 * The chat loop: reads lines, starts runs, answers approvals and questions
 * inline, runs slash commands, and prints the session through a
 * {@link TranscriptPrinter} fed by `reduceSession` (via {@link SessionWatcher}).
 *
 * Lines typed while a run goes are queued and sent when it ends (`/steer`
 * and the read-only commands act at once). Ctrl-C cancels the run; a
 * second Ctrl-C within 3 s, or one while idle followed by another, exits.
 */
export class ChatController {
  readonly #options: ChatControllerOptions;
  #session!: AgentSession;
  #watcher!: SessionWatcher;
  #printer!: TranscriptPrinter;
  #state: ChatState = 'idle';
  readonly #queue: string[] = [];
  /** The approval being asked, and the answers to give before resuming. */
  #approvals: PendingApproval[] = [];
  #approvalDone: (() => void) | undefined;
  /** The question being asked. */
  #clarify: PendingClarify | undefined;
  readonly #answered = new Set<string>();
  #interruptedAt = 0;
  #ticker: NodeJS.Timeout | undefined;
  #countdown: NodeJS.Timeout | undefined;
  #inputClosed = false;
  #busyCommand = false;
  /** A prompt is on the screen (terminal only). */
  #promptShown = false;
  #finished!: () => void;
  #work: Promise<void> = Promise.resolve();

  constructor(options: ChatControllerOptions) {
    this.#options = options;
  }

  get session(): AgentSession {
    return this.#session;
  }

  get view(): SessionView {
    return this.#watcher.view;
  }

  get options(): ChatControllerOptions {
    return this.#options;
  }

  get busy(): boolean {
    return this.#state === 'running';
  }

  /** Runs the chat on `session` until the user quits or input ends. */
  async run(session: AgentSession, resumed: boolean): Promise<void> {
    const { rl, terminal } = this.#options;
    const finished = new Promise<void>((resolve) => (this.#finished = resolve));
    await this.useSession(session, resumed);
    const { output } = this.#options.context;
    output.line(
      output.style.dim(
        `model ${this.#session.model} · /help for commands · Ctrl-C cancels, twice exits`,
      ),
    );
    rl.on('line', (line) => this.#onLine(line));
    rl.on('close', () => {
      this.#inputClosed = true;
      this.#pump();
    });
    const onInterrupt = () => this.#onInterrupt();
    if (terminal) rl.on('SIGINT', onInterrupt);
    else process.on('SIGINT', onInterrupt);
    if (this.#session.status === 'awaiting_input') this.#drive(undefined);
    else this.#prompt();
    try {
      await finished;
    } finally {
      process.off('SIGINT', onInterrupt);
    }
  }

  /** Switches the chat to `session`, printing its history when it has one. */
  async useSession(session: AgentSession, resumed: boolean): Promise<void> {
    this.#watcher?.stop();
    this.#session = session;
    const { cli, context } = this.#options;
    const { output } = context;
    const stored = await readSessionEvents(cli.log, session.id);
    this.#watcher = new SessionWatcher(cli.bus, session.id, stored);
    const sink = streamSink(output.stdout, output.style);
    output.line(output.style.bold(`${resumed ? 'Session' : 'New session'} ${session.id}`));
    if (stored.length > 0) new TranscriptPrinter({ text: sink }).update(this.#watcher.view);
    this.#printer = new TranscriptPrinter({ text: sink, live: output.live, user: false });
    this.#printer.skipTo(this.#watcher.view);
    this.#watcher.onChange((view) => this.#onView(view));
  }

  /** Writes a line for the user (never while a prompt is shown). */
  say(text: string): void {
    this.#printer.newLine();
    const { terminal, rl } = this.#options;
    // A prompt on the screen (Ctrl-C at the prompt): write over it; callers prompt again.
    if (terminal && this.#promptShown) {
      this.#options.context.output.result('\r\u001b[2K');
      this.#promptShown = false;
      rl.setPrompt('');
    }
    this.#options.context.output.line(text);
  }

  /** Starts a run for a message. */
  send(text: string): void {
    this.#drive(() => this.#session.run(text));
  }

  /** Ends the chat: cancels a run, waits for it, stops reading. */
  async close(): Promise<void> {
    if (this.#state === 'closing') return;
    const wasRunning = this.#state === 'running';
    this.#state = 'closing';
    if (wasRunning) this.#session.cancel('chat closed');
    this.#approvalDone?.();
    await this.#work;
    await this.#session.idle();
    clearInterval(this.#ticker);
    clearInterval(this.#countdown);
    this.#printer.suspend();
    this.#watcher.stop();
    this.#options.rl.close();
    this.#finished();
  }

  /**
   * Every line goes through the queue, in order: it answers the question or
   * approval being asked, or, once the chat is idle, is a message or a
   * command. While a run goes, only `/steer` and `/quit` act at once.
   */
  #onLine(raw: string): void {
    const line = raw.trim();
    this.#promptShown = false;
    // Ctrl-C twice means twice in a row: anything typed in between starts over.
    this.#interruptedAt = 0;
    if (this.#state === 'closing') return;
    const waiting = this.#clarify !== undefined || this.#approvals.length > 0;
    if (this.#state === 'running' && !waiting && /^\/(steer|quit|exit)\b/.test(line)) {
      return void this.#command(line);
    }
    this.#queue.push(line);
    if (this.#state === 'running' && !waiting && this.#options.terminal && line !== '') {
      this.say(
        this.#options.context.output.style.dim(
          '(queued: sent when the run ends; /steer <text> guides it now)',
        ),
      );
    }
    this.#pump();
  }

  /** Handles queued lines as far as the state allows. */
  #pump(): void {
    while (this.#queue.length > 0 && this.#state !== 'closing') {
      if (this.#clarify) return void this.#answerQuestion(this.#clarify, this.#queue.shift()!);
      if (this.#approvals.length > 0) return void this.#answerApproval(this.#queue.shift()!);
      if (this.#state !== 'idle' || this.#busyCommand) return;
      const line = this.#queue.shift()!;
      if (line === '') continue;
      if (line.startsWith('/')) return void this.#command(line);
      return this.send(line);
    }
    if (this.#inputClosed) this.#inputEnded();
    else this.#prompt();
  }

  /** A command; the queue waits for it. */
  async #command(line: string): Promise<void> {
    this.#busyCommand = true;
    try {
      await runSlashCommand(this, line);
    } catch (error) {
      this.#report(error);
    } finally {
      this.#busyCommand = false;
    }
    this.#pump();
  }

  /** No more input (Ctrl-D, end of a pipe): finish what is going, then close. */
  #inputEnded(): void {
    if (this.#state === 'closing' || this.#busyCommand) return;
    // Nobody is left to answer: a question or approval being asked ends the run.
    if (this.#clarify || this.#approvals.length > 0) {
      this.#clarify = undefined;
      this.#session.cancel('input ended');
      this.#approvalDone?.();
      return;
    }
    if (this.#state === 'idle') void this.close();
  }

  /**
   * Runs `start()`'s run, then asks its approvals and resumes, until the
   * session is idle again. Without `start` the session is already paused:
   * its approvals are asked first.
   */
  #drive(start: (() => RunHandle) | undefined): void {
    this.#state = 'running';
    this.#streaming();
    this.#work = (async () => {
      try {
        let handle = start?.();
        for (;;) {
          if (handle) {
            const result = await handle.result;
            if (result.stopReason !== 'awaiting_input') break;
          }
          if (this.#state === 'closing' || !(await this.#askApprovals())) break;
          handle = this.#session.resume();
        }
      } catch (error) {
        this.#report(error);
      } finally {
        this.#stopTicker();
        this.#printer.update(this.#watcher.view);
        this.#printer.suspend();
      }
      if (this.#state === 'closing') return;
      this.#state = 'idle';
      this.#pump();
    })();
  }

  /** Asks each open approval in turn; true once all are answered (false when cancelled). */
  #askApprovals(): Promise<boolean> {
    const pending = this.#watcher.view.approvals.filter(
      (approval) => !this.#answered.has(approval.approvalId),
    );
    const open = new Set(
      this.#session
        .pendingRequests()
        .filter((request) => request.kind === 'approval' && !request.response)
        .map((request) => request.requestId),
    );
    this.#approvals = pending.filter((approval) => open.has(approval.approvalId));
    if (this.#approvals.length === 0) return Promise.resolve(open.size === 0);
    this.#stopTicker();
    return new Promise((resolve) => {
      this.#approvalDone = () => {
        this.#approvalDone = undefined;
        const done = this.#approvals.length === 0;
        this.#approvals = [];
        if (done) this.#streaming();
        resolve(done);
      };
      this.#askApproval();
      this.#pump();
    });
  }

  #askApproval(): void {
    // The printer has announced the call (tool, arguments, request id): ask.
    const approval = this.#approvals[0]!;
    this.#printer.suspend();
    this.#setPrompt(`allow ${approval.toolName ?? 'the tool'}? [y] once  [a] always  [n] deny › `, {
      shown: true,
    });
  }

  async #answerApproval(line: string): Promise<void> {
    const approval = this.#approvals[0]!;
    const [word, ...rest] = line.split(/\s+/);
    const answer = (word ?? '').toLowerCase();
    const reason = rest.join(' ');
    const decision =
      answer === 'y' || answer === 'yes'
        ? { approved: true }
        : answer === 'a' || answer === 'always'
          ? { approved: true, always: true }
          : answer === 'n' || answer === 'no' || answer === 'd' || answer === 'deny'
            ? { approved: false, ...(reason ? { reason } : {}) }
            : undefined;
    if (!decision) {
      this.#askApproval();
      return this.#pump();
    }
    try {
      await this.#session.respond(approval.approvalId, decision);
      this.#answered.add(approval.approvalId);
    } catch (error) {
      this.#report(error);
    }
    this.#approvals.shift();
    if (this.#approvals.length > 0) {
      this.#askApproval();
      this.#pump();
    } else this.#approvalDone?.();
  }

  async #answerQuestion(question: PendingClarify, line: string): Promise<void> {
    if (line === '') return this.#pump();
    const choice = /^\d+$/.test(line) ? question.choices?.[Number(line) - 1] : undefined;
    this.#clarify = undefined;
    clearInterval(this.#countdown);
    try {
      await this.#session.respond(question.clarifyId, { answer: choice ?? line });
    } catch (error) {
      this.#report(error);
    }
    this.#streaming();
  }

  /** Each new view: print it, and notice a question the agent asks. */
  #onView(view: SessionView): void {
    this.#printer.update(view);
    const asked = view.clarifications.find((question) => !this.#answered.has(question.clarifyId));
    if (asked && this.#clarify?.clarifyId !== asked.clarifyId) {
      this.#answered.add(asked.clarifyId);
      this.#clarify = asked;
      this.#stopTicker();
      this.#printer.suspend();
      this.#startCountdown(asked);
      queueMicrotask(() => this.#pump());
    } else if (
      this.#clarify &&
      !view.clarifications.some((q) => q.clarifyId === this.#clarify!.clarifyId)
    ) {
      // Answered elsewhere or timed out: the printer shows the answer.
      this.#clarify = undefined;
      clearInterval(this.#countdown);
      this.#options.rl.setPrompt('');
      this.#streaming();
    }
  }

  #startCountdown(question: PendingClarify): void {
    const show = () => {
      const left =
        question.deadline === undefined
          ? ''
          : ` (${Math.max(0, Math.ceil((question.deadline - Date.now()) / 1000))} s)`;
      this.#setPrompt(`answer${left} › `, { keepInput: true, shown: true });
    };
    show();
    clearInterval(this.#countdown);
    if (this.#options.terminal) this.#countdown = setInterval(show, 1000);
  }

  #onInterrupt(): void {
    const now = Date.now();
    const again = now - this.#interruptedAt < DOUBLE_INTERRUPT_MS;
    this.#interruptedAt = now;
    const { style } = this.#options.context.output;
    if (again || this.#state === 'closing') {
      void this.close();
      return;
    }
    if (this.#state === 'running') {
      this.#clarify = undefined;
      clearInterval(this.#countdown);
      this.#session.cancel('cancelled by Ctrl-C');
      this.#approvalDone?.();
      this.say(style.yellow('cancelling… (Ctrl-C again to exit)'));
      return;
    }
    this.say(style.dim('(Ctrl-C again or /quit to exit)'));
    this.#prompt();
  }

  /** A run streams (again): typed keys stay off the screen, the live line ticks. */
  #streaming(): void {
    this.#options.echo?.mute();
    this.#startTicker();
  }

  #startTicker(): void {
    if (!this.#options.context.output.live || this.#ticker) return;
    this.#ticker = setInterval(() => this.#printer.tick(), 100);
  }

  #stopTicker(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#printer.suspend();
  }

  /** Shows the input prompt when the chat waits for a message. */
  #prompt(): void {
    if (this.#state !== 'idle' || this.#clarify || this.#approvals.length > 0) return;
    const { style } = this.#options.context.output;
    // keepInput: keys typed while the last answer streamed are shown after the prompt, cursor at their end.
    this.#setPrompt(style.bold(style.cyan('› ')), { keepInput: true });
  }

  /**
   * Sets and shows the prompt. Without a terminal (piped input) only the
   * questions are printed, as lines (`shown`), never the message prompt.
   */
  #setPrompt(text: string, options: { keepInput?: boolean; shown?: boolean } = {}): void {
    const { rl, terminal, context } = this.#options;
    rl.setPrompt(text);
    if (terminal) {
      this.#options.echo?.unmute();
      rl.prompt(options.keepInput);
      this.#promptShown = true;
    } else if (options.shown) context.output.line(text.trimEnd());
  }

  #report(error: unknown): void {
    const printable = printableError(error);
    this.#printer.suspend();
    this.#options.context.output.stderr.write(
      printable
        ? formatError(printable)
        : `switchboard: ${(error as Error)?.message ?? String(error)}\n`,
    );
  }
}
