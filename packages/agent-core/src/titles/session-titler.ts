import type { TitleSource } from '@switchboard/events';
import type { AgentRuntime } from '../loop/run-state.js';
import type { TranscriptEntry } from '../sessions/session-snapshot.js';
import type { SessionState } from '../sessions/session-state.js';
import { generateTitle } from './generate-title.js';
import { normaliseUserTitle } from './sanitize-title.js';

/** A run as the titler sees it once it has ended. */
export interface EndedRun {
  readonly runId: string;
  readonly stopReason: string;
  /** The run's last answer. */
  readonly text: string;
}

/**
 * Keeps one session's title: the user's (`set`) or a generated one
 * (`afterRun`). Generation runs in the background, after the run's terminal
 * event, so it never delays a run or the next one; at most one is in flight,
 * and it is aborted when the user names the session (the user's title wins
 * even over a title call that was about to finish) or the session closes.
 * The title lives in the snapshot and every change is a
 * `session.title_updated`.
 */
export class SessionTitler {
  readonly #runtime: () => AgentRuntime;
  readonly #state: SessionState;
  readonly #checkpoint: () => Promise<void>;
  #inFlight: { controller: AbortController; done: Promise<void> } | undefined;

  constructor(options: {
    runtime: () => AgentRuntime;
    state: SessionState;
    checkpoint: () => Promise<void>;
  }) {
    this.#runtime = options.runtime;
    this.#state = options.state;
    this.#checkpoint = options.checkpoint;
  }

  /** Resolves when no title is being generated. */
  get settled(): Promise<void> {
    return this.#inFlight?.done ?? Promise.resolve();
  }

  /** The user names the session (validated, `CORE_INVALID_INPUT` otherwise); a generation in flight is dropped. */
  async set(title: unknown): Promise<void> {
    const normalised = normaliseUserTitle(title);
    this.#inFlight?.controller.abort();
    this.#apply(normalised, 'user');
    await this.#checkpoint();
  }

  /**
   * Called when a top-level run has ended: starts naming the session when
   * titles are on, the session has no title yet, nothing is being generated,
   * and the run completed with an answer (the first exchange, or the first
   * one since a generation was aborted). Never throws; returns at once.
   */
  afterRun(run: EndedRun): void {
    const options = this.#runtime().options.titles;
    const snapshot = this.#state.snapshot;
    if (
      !options.enabled ||
      snapshot.title !== undefined ||
      this.#inFlight !== undefined ||
      snapshot.status === 'closed' ||
      run.stopReason !== 'completed' ||
      run.text.trim() === ''
    )
      return;
    const controller = new AbortController();
    const done = this.#generate(run, controller.signal)
      .catch((error: unknown) =>
        this.#runtime().reportError(error instanceof Error ? error : new Error(String(error))),
      )
      .finally(() => {
        if (this.#inFlight?.controller === controller) this.#inFlight = undefined;
      });
    this.#inFlight = { controller, done };
  }

  /** Aborts a generation in flight and waits until it has wound down (its events emitted). */
  async stop(): Promise<void> {
    const inFlight = this.#inFlight;
    if (!inFlight) return;
    inFlight.controller.abort();
    await inFlight.done;
  }

  async #generate(run: EndedRun, signal: AbortSignal): Promise<void> {
    const generated = await generateTitle({
      runtime: this.#runtime(),
      state: this.#state,
      runId: run.runId,
      firstMessage: firstUserText(this.#state.snapshot.transcript),
      answer: run.text,
      signal,
    });
    // Aborted, or named meanwhile: the generated title is dropped; the usage stays counted.
    if (generated === undefined || signal.aborted || this.#state.snapshot.title !== undefined) {
      await this.#checkpoint();
      return;
    }
    this.#apply(generated.title, generated.source);
    await this.#checkpoint();
  }

  #apply(title: string, source: TitleSource): void {
    this.#state.setTitle(title, source);
    this.#runtime().bus.emit({
      type: 'session.title_updated',
      sessionId: this.#state.id,
      data: { title, source },
    });
  }
}

/** The text of the user's first message (typed or spoken; not a steer, a nudge or a summary). */
function firstUserText(transcript: readonly TranscriptEntry[]): string {
  for (const entry of transcript) {
    const { message, display } = entry;
    if (message.role !== 'user') continue;
    if (display.source !== undefined && display.source !== 'text' && display.source !== 'voice')
      continue;
    return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ');
  }
  return '';
}
