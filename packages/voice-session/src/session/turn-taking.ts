import type { TimerId } from '../clock/clock.js';
import { VoiceError } from '../errors/voice-error.js';
import type { SpeechHandle } from './speech-handle.js';
import type { TurnHost, TurnTiming } from './user-turn-tracker.js';
import type { VoiceSession } from './voice-session.js';

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * The policy side of turn taking (LiveKit's `AgentActivity`): when the user's
 * speech pauses or interrupts the agent, when a wordless barge-in is a false
 * interruption (resume after the timeout), when a turn is skipped, and when
 * a finished turn gets a reply.
 */
export class TurnTaking implements TurnHost {
  readonly #session: VoiceSession;
  /** The speech paused by the user's voice, waiting for words or the timeout. */
  #paused: SpeechHandle | undefined;
  /** A speech stopped at once by a barge-in (no resume), until its words or the timeout. */
  #stopped: SpeechHandle | undefined;
  #falseTimer: TimerId | undefined;

  constructor(session: VoiceSession) {
    this.#session = session;
  }

  get clock() {
    return this.#session.clock;
  }

  get options() {
    return this.#session.options;
  }

  get emitter() {
    return this.#session.emitter;
  }

  setUserState(state: 'listening' | 'speaking'): void {
    this.#session.setUserState(state);
  }

  discardingInput(): boolean {
    const speech = this.#session.currentSpeech;
    return (
      speech !== undefined &&
      !speech.allowInterruptions &&
      this.options.discardAudioIfUninterruptible
    );
  }

  onUserSpeechStarted(): void {
    this.#cancelFalseTimer();
  }

  onSpeechActivity(speechMs: number, interim: string): void {
    const speech = this.#session.currentSpeech;
    const { options } = this;
    if (!speech || speech.paused || speech.interrupted || !speech.allowInterruptions) return;
    if (options.turnDetection === 'manual' || speechMs < options.minInterruptionMs) return;
    if (options.minInterruptionWords > 0 && wordCount(interim) < options.minInterruptionWords)
      return;
    this.#interruptByAudio(speech);
  }

  onFinalTranscript(text: string): void {
    const paused = this.#paused;
    if (paused) {
      // Words: the barge-in was real.
      this.#paused = undefined;
      this.#session.interruptSpeech(paused, 'user_speech');
      return;
    }
    this.#stopped = undefined;
    const speech = this.#session.currentSpeech;
    if (
      speech?.started &&
      this.options.minInterruptionWords > 0 &&
      wordCount(text) >= this.options.minInterruptionWords
    )
      this.onSpeechActivity(Number.POSITIVE_INFINITY, text);
  }

  onUserSpeechEnded(text: string): void {
    const timeout = this.options.falseInterruptionTimeoutMs;
    if (text || timeout == null || (!this.#paused && !this.#stopped)) return;
    this.#cancelFalseTimer();
    this.#falseTimer = this.clock.setTimeout(() => this.#onFalseInterruption(), timeout);
  }

  onEndOfTurn(text: string, timing: TurnTiming): void {
    const session = this.#session;
    const speech = session.currentSpeech;
    if (speech && !speech.interrupted) {
      if (!speech.allowInterruptions) {
        this.onTurnSkipped(text, 'uninterruptible');
        return;
      }
      if (
        this.options.minInterruptionWords > 0 &&
        wordCount(text) < this.options.minInterruptionWords
      ) {
        this.emitter.emit('voice.user_turn_skipped', {
          transcript: text,
          reason: 'min_interruption_words',
        });
        return;
      }
    }
    this.#cancelFalseTimer();
    this.#paused = undefined;
    this.#stopped = undefined;
    // A new turn replaces whatever the agent was saying or about to say.
    const current = session.currentSpeech;
    if (current) session.interruptSpeech(current, 'user_turn');
    session.addUserTurn(text);
    session.startReply(text, timing);
  }

  onTurnSkipped(text: string, reason: 'uninterruptible' | 'cleared'): void {
    if (reason === 'cleared') this.#session.withdrawPreemptive();
    this.emitter.emit('voice.user_turn_skipped', { transcript: text, reason });
  }

  onSttError(error: unknown): void {
    this.#session.reportError(
      error instanceof VoiceError
        ? error
        : new VoiceError({ code: 'VOICE_STT_FAILED', message: String(error), cause: error }),
    );
  }

  onTurnText(text: string): void {
    if (!this.options.preemptiveGeneration || this.options.turnDetection === 'manual') return;
    // Only while the agent is quiet: over its speech the words decide an interruption first.
    const current = this.#session.currentSpeech;
    if (current && !current.interrupted) return;
    this.#session.preemptReply(text);
  }

  /** A speech ended: forget it if it was waiting on a false-interruption decision. */
  onSpeechFinished(speech: SpeechHandle): void {
    if (this.#paused === speech) {
      this.#paused = undefined;
      this.#cancelFalseTimer();
    }
  }

  close(): void {
    this.#cancelFalseTimer();
  }

  #interruptByAudio(speech: SpeechHandle): void {
    const session = this.#session;
    if (this.options.resumeFalseInterruption && this.options.falseInterruptionTimeoutMs != null) {
      speech.paused = true;
      this.#paused = speech;
      this.emitter.emit(
        'voice.speech_paused',
        { speechId: speech.id, spokenMs: speech.spokenMs },
        speech.runId,
      );
      session.setAgentState('listening');
      return;
    }
    this.#stopped = speech;
    session.interruptSpeech(speech, 'user_speech');
  }

  #onFalseInterruption(): void {
    this.#falseTimer = undefined;
    const session = this.#session;
    const paused = this.#paused;
    if (paused) {
      this.#paused = undefined;
      paused.paused = false;
      this.emitter.emit(
        'voice.false_interruption',
        { speechId: paused.id, resumed: true },
        paused.runId,
      );
      this.emitter.emit(
        'voice.speech_resumed',
        { speechId: paused.id, spokenMs: paused.spokenMs },
        paused.runId,
      );
      session.setAgentState('speaking');
      return;
    }
    const stopped = this.#stopped;
    this.#stopped = undefined;
    if (stopped)
      this.emitter.emit(
        'voice.false_interruption',
        { speechId: stopped.id, resumed: false },
        stopped.runId,
      );
  }

  #cancelFalseTimer(): void {
    if (this.#falseTimer !== undefined) this.clock.clearTimeout(this.#falseTimer);
    this.#falseTimer = undefined;
  }
}
