import { FRAME_MS } from '../audio/pcm.js';
import type { Clock, TimerId } from '../clock/clock.js';
import { stripFillers } from '../stt/jsgf-grammar.js';
import type { Stt, SttResult, SttStream } from '../stt/stt.js';
import type { Vad, VadStream } from '../vad/vad.js';
import type { VoiceEmitter } from './voice-emitter.js';
import type { ResolvedVoiceSessionOptions } from './voice-session-options.js';

/** Session times of one user turn, for `voice.metrics`. */
export interface TurnTiming {
  /** End of the user's last speech (VAD end minus its silence hangover). */
  speechEndMs?: number;
  /** When the final transcript arrived. */
  finalMs?: number;
  /** When the turn was decided. */
  decidedMs: number;
}

/** What the tracker asks of the session it serves. */
export interface TurnHost {
  readonly clock: Clock;
  readonly options: ResolvedVoiceSessionOptions;
  readonly emitter: VoiceEmitter;
  setUserState(state: 'listening' | 'speaking'): void;
  /** True while uninterruptible speech plays and overlapping user audio is discarded. */
  discardingInput(): boolean;
  onUserSpeechStarted(): void;
  /** The user is speaking: `speechMs` so far and the interim words. */
  onSpeechActivity(speechMs: number, interim: string): void;
  onFinalTranscript(text: string): void;
  /** The VAD closed the segment; `text` is its final transcript (fillers stripped). */
  onUserSpeechEnded(text: string): void;
  onEndOfTurn(text: string, timing: TurnTiming): void;
  /** The turn's words so far changed (a final transcript), before the end of turn is decided. */
  onTurnText(text: string): void;
  onTurnSkipped(text: string, reason: 'uninterruptible' | 'cleared'): void;
  /** The recogniser failed on an utterance (a cloud STT's HTTP error); the utterance is dropped. */
  onSttError(error: unknown): void;
}

/**
 * The input side of turn taking: runs the VAD over every frame, feeds the
 * recogniser the VAD's speech segments (with prefix padding), publishes
 * transcripts, and decides when the user's turn ended (endpointing, the turn
 * detector, or a manual commit).
 *
 * A batch (cloud) recogniser answers each utterance later: its request runs
 * while the input goes on (VAD, the next utterance, barge-in), and the
 * answers are applied in utterance order; the turn is decided only once
 * every utterance of it has its text. Each pending answer is handed to
 * `track`, so file input (which waits for the session to settle) stays
 * deterministic.
 */
export class UserTurnTracker {
  readonly #host: TurnHost;
  readonly #vad: VadStream;
  readonly #stt: Stt;
  readonly #prefix: Int16Array[] = [];
  readonly #track: (task: Promise<void>) => void;
  #utterance: SttStream | undefined;
  /** Utterances whose final result is still awaited (a batch recogniser's requests). */
  readonly #inFlight = new Set<SttStream>();
  /** The last pending answer: the next one is applied after it (utterance order). */
  #finals: Promise<void> = Promise.resolve();
  /** Bumped by clear/close: answers of utterances before it are dropped. */
  #epoch = 0;
  #discarding = false;
  #sinceInterim = 0;
  #lastInterim = '';
  #turnText = '';
  #speechEndMs: number | undefined;
  #finalMs: number | undefined;
  #endOfTurnTimer: TimerId | undefined;
  #decision = 0; // bumps to drop a turn-detector answer that arrives too late

  /** `track` is given each pending answer of a batch recogniser (the session waits on it). */
  constructor(
    host: TurnHost,
    engines: { vad: Vad; stt: Stt; track: (task: Promise<void>) => void },
  ) {
    this.#host = host;
    this.#vad = engines.vad.createStream();
    this.#stt = engines.stt;
    this.#track = engines.track;
  }

  /** Processes one 20 ms frame taken at the clock's current time. */
  async push(frame: Int16Array): Promise<void> {
    const { options } = this.#host;
    this.#prefix.push(frame);
    if (this.#prefix.length * FRAME_MS > options.prefixPaddingMs) this.#prefix.shift();
    if (this.#utterance) this.#feed(frame);
    const update = await this.#vad.push(frame);
    for (const event of update.events) {
      if (event.type === 'start') this.#onStart();
      else this.#onEnd(event.silenceMs);
    }
    if (update.speaking && !this.#discarding)
      this.#host.onSpeechActivity(update.speechMs, stripFillers(this.#lastInterim));
  }

  /** Ends the turn now (manual mode, or to force it): finalises any open utterance. */
  async commit(): Promise<void> {
    if (this.#utterance) this.#finalise(this.#discarding, () => undefined);
    await this.#finals;
    this.#decide();
  }

  /** Drops what the user said so far in this turn. */
  clear(): void {
    this.#dropPending();
    this.#utterance?.cancel();
    this.#utterance = undefined;
    this.#cancelTimer();
    if (this.#turnText) this.#host.onTurnSkipped(this.#turnText, 'cleared');
    this.#turnText = '';
  }

  /** Stops timers (the session closed). */
  close(): void {
    this.#dropPending();
    this.#utterance?.cancel();
    this.#utterance = undefined;
    this.#cancelTimer();
  }

  #feed(frame: Int16Array): void {
    this.#utterance!.push(frame);
    this.#sinceInterim += FRAME_MS;
    if (this.#sinceInterim < this.#host.options.interimEveryMs) return;
    this.#sinceInterim = 0;
    const interim = stripFillers(this.#utterance!.interim());
    if (!interim || interim === this.#lastInterim) return;
    this.#lastInterim = interim;
    if (!this.#discarding) this.#transcript(interim, false);
  }

  #onStart(): void {
    const host = this.#host;
    this.#cancelTimer();
    this.#discarding = host.discardingInput();
    host.setUserState('speaking');
    host.onUserSpeechStarted();
    this.#utterance = this.#stt.createStream();
    this.#sinceInterim = 0;
    this.#lastInterim = '';
    for (const frame of this.#prefix) this.#utterance.push(frame);
  }

  #onEnd(silenceMs: number): void {
    const host = this.#host;
    const endMs = host.clock.now() + FRAME_MS - silenceMs;
    host.setUserState('listening');
    if (!this.#utterance) return;
    const discarding = this.#discarding;
    this.#discarding = false;
    this.#finalise(discarding, (text) => this.#onFinal(text, endMs, discarding));
  }

  /** An utterance's final text, applied in utterance order. */
  #onFinal(text: string, endMs: number, discarding: boolean): void {
    const host = this.#host;
    if (discarding) {
      if (text) host.onTurnSkipped(text, 'uninterruptible');
      return;
    }
    this.#speechEndMs = endMs;
    if (text) {
      this.#turnText = `${this.#turnText} ${text}`.trim();
      host.onFinalTranscript(text);
    }
    host.onUserSpeechEnded(text);
    if (text) host.onTurnText(this.#turnText);
    // Not while the user speaks again or a later utterance awaits its text: its end decides.
    if (this.#turnText && !this.#utterance && this.#inFlight.size === 0) this.#schedule();
  }

  /**
   * Closes the open utterance; its final transcript is published, then
   * `onText` gets its text. A local recogniser answers at once (applied
   * now, unless earlier answers are pending); a batch (cloud) one later, in
   * utterance order, without holding the input. A failure is reported to
   * the host and the utterance counts as silence.
   */
  #finalise(discarding: boolean, onText: (text: string) => void): void {
    const utterance = this.#utterance!;
    this.#utterance = undefined;
    let result: SttResult | Promise<SttResult>;
    try {
      result = utterance.finish();
    } catch (error) {
      result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (!(result instanceof Promise) && this.#inFlight.size === 0)
      return this.#applyFinal(result, discarding, onText);
    const answer = Promise.resolve(result);
    answer.catch(() => undefined); // read in order below
    this.#inFlight.add(utterance);
    const epoch = this.#epoch;
    const applied = this.#finals.then(async () => {
      let final: SttResult | undefined;
      let failure: unknown;
      try {
        final = await answer;
      } catch (error) {
        failure = error ?? new Error('transcription failed');
      }
      this.#inFlight.delete(utterance);
      if (epoch !== this.#epoch) return; // cleared or closed meanwhile
      if (final) this.#applyFinal(final, discarding, onText);
      else {
        this.#host.onSttError(failure);
        onText('');
      }
    });
    this.#finals = applied;
    this.#track(applied);
  }

  #applyFinal(result: SttResult, discarding: boolean, onText: (text: string) => void): void {
    const text = stripFillers(result.text);
    this.#finalMs = this.#host.clock.now();
    if (!discarding)
      this.#transcript(text, true, { language: result.language, confidence: result.confidence });
    onText(text);
  }

  /** Drops the answers still awaited (their requests are aborted). */
  #dropPending(): void {
    this.#epoch++;
    for (const utterance of this.#inFlight) utterance.cancel();
  }

  #transcript(
    text: string,
    final: boolean,
    { language, confidence }: { language?: string; confidence?: number } = {},
  ): void {
    this.#host.emitter.emit('voice.transcript', {
      text,
      final,
      ...(language === undefined ? {} : { language }),
      ...(confidence === undefined ? {} : { confidence }),
    });
  }

  /** Waits out the endpointing delay (stretched by a doubtful turn detector), then decides. */
  #schedule(): void {
    const { options, clock } = this.#host;
    const mode = options.turnDetection;
    if (mode === 'manual') return;
    const arm = (delayMs: number) => {
      this.#cancelTimer();
      const elapsed = clock.now() - (this.#speechEndMs ?? clock.now());
      this.#endOfTurnTimer = clock.setTimeout(() => this.#decide(), Math.max(0, delayMs - elapsed));
    };
    if (typeof mode === 'string') return arm(options.minEndpointingMs);
    const decision = ++this.#decision;
    void Promise.resolve(mode.predictEndOfTurn(this.#turnText)).then((probability) => {
      if (decision !== this.#decision) return;
      arm(
        probability < mode.unlikelyThreshold ? options.maxEndpointingMs : options.minEndpointingMs,
      );
    });
  }

  #decide(): void {
    this.#cancelTimer();
    const text = this.#turnText;
    this.#turnText = '';
    if (!text) return;
    this.#host.onEndOfTurn(text, {
      ...(this.#speechEndMs === undefined ? {} : { speechEndMs: this.#speechEndMs }),
      ...(this.#finalMs === undefined ? {} : { finalMs: this.#finalMs }),
      decidedMs: this.#host.clock.now(),
    });
  }

  #cancelTimer(): void {
    this.#decision++;
    if (this.#endOfTurnTimer !== undefined) this.#host.clock.clearTimeout(this.#endOfTurnTimer);
    this.#endOfTurnTimer = undefined;
  }
}
