import type { AgentSession, RunHandle } from '@switchboard/agent-core';
import type { VoiceAgentState, VoiceUserState } from '@switchboard/events';
import { FRAME_MS, FRAME_SAMPLES } from '../audio/pcm.js';
import { ManualClock, type Clock, type TimerId } from '../clock/clock.js';
import { parseVoiceOptions } from '../errors/parse-voice-options.js';
import { VoiceError } from '../errors/voice-error.js';
import type { Tts } from '../tts/tts.js';
import { runReply, truncateToSpoken, whenIdle, type Reply } from './reply-runner.js';
import { SpeechHandle, type SpeechSource } from './speech-handle.js';
import { SpeechSyntheses } from './speech-syntheses.js';
import { turnMetrics } from './turn-metrics.js';
import { TurnTaking } from './turn-taking.js';
import { UserTurnTracker, type TurnTiming } from './user-turn-tracker.js';
import { VoiceEmitter } from './voice-emitter.js';
import type { AudioSink, VoiceHistoryItem, VoiceSessionInit } from './voice-session-init.js';
import {
  voiceSessionOptionsSchema,
  type ResolvedVoiceSessionOptions,
} from './voice-session-options.js';

export type { AudioSink, VoiceHistoryItem, VoiceSessionInit };

/**
 * A real-time voice conversation over an agent-core session, with the
 * semantics of LiveKit's AgentSession: VAD-gated recognition, endpointing,
 * barge-in with pause and resume after a false interruption, user-away,
 * uninterruptible speech, text transforms for speech. Audio goes in with
 * {@link pushFrame} (16 kHz mono PCM16, 20 ms); every state change is a
 * `voice.*` event on the agent's bus.
 */
export class VoiceSession {
  readonly clock: Clock;
  readonly options: ResolvedVoiceSessionOptions;
  readonly emitter: VoiceEmitter;
  readonly agentSession: AgentSession;
  readonly tts: Tts;
  readonly history: VoiceHistoryItem[] = [];
  readonly #output: AudioSink | undefined;
  readonly #tracker: UserTurnTracker;
  readonly #turns: TurnTaking;
  readonly #speeches: SpeechHandle[] = [];
  readonly #syntheses: SpeechSyntheses;
  readonly #pending = new Set<Promise<void>>();
  #agentState: VoiceAgentState = 'initializing';
  #userState: VoiceUserState = 'listening';
  #awayTimer: TimerId | undefined;
  #nextSpeech = 1;
  #errors = 0;
  #closed = false;
  #turnTiming: TurnTiming | undefined;
  /** Instructions of the agent the voice speaks for now (see {@link updateAgent}). */
  #instructions: string | undefined;
  /** A reply started before the end of the user's turn, on these words. */
  #preemptive: { text: string; speech: SpeechHandle; task: Promise<void> } | undefined;
  /** Held preemptive speeches: called when their model step ended (their audio is then ready). */
  readonly #heldReady = new Map<SpeechHandle, () => void>();
  readonly #truncated = new WeakSet<SpeechHandle>();

  constructor(init: VoiceSessionInit) {
    this.options = parseVoiceOptions(voiceSessionOptionsSchema, init.options ?? {}, 'VoiceSession');
    this.clock = init.clock ?? new ManualClock();
    this.agentSession = init.agentSession;
    this.tts = init.tts;
    this.#output = init.output;
    this.emitter = new VoiceEmitter(init.bus, init.agentSession.id, this.clock);
    this.#syntheses = new SpeechSyntheses({
      tts: this.tts,
      transforms: () => this.options.ttsTextTransforms ?? [],
      onTtsError: (handle, error) =>
        this.reportError(
          error instanceof VoiceError
            ? error
            : new VoiceError({ code: 'VOICE_TTS_FAILED', message: String(error), cause: error }),
          handle,
        ),
    });
    this.#turns = new TurnTaking(this);
    this.#tracker = new UserTurnTracker(this.#turns, {
      vad: init.vad,
      stt: init.stt,
      track: (task) => this.#track(task),
    });
    this.emitter.emit('voice.agent_state', { state: 'initializing' });
  }

  get agentState(): VoiceAgentState {
    return this.#agentState;
  }

  get userState(): VoiceUserState {
    return this.#userState;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The speech playing (or next to play). */
  get currentSpeech(): SpeechHandle | undefined {
    return this.#speeches[0];
  }

  /** Starts listening. */
  start(): void {
    this.setAgentState('listening');
  }

  /**
   * Processes one 20 ms input frame: VAD, recognition, turn decisions, one
   * frame of agent audio out, then (on a {@link ManualClock}) 20 ms of time.
   */
  async pushFrame(frame: Int16Array): Promise<void> {
    if (this.#closed) return;
    if (frame.length !== FRAME_SAMPLES)
      throw new VoiceError({
        code: 'VOICE_INVALID_AUDIO',
        message: `Frames are ${FRAME_SAMPLES} samples (20 ms at 16 kHz), got ${frame.length}.`,
      });
    await this.#tracker.push(frame);
    this.#playout();
    if (this.clock instanceof ManualClock) this.clock.advance(FRAME_MS);
  }

  /** Resolves once no reply or synthesis is in flight (file input waits on it each frame). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /**
   * Speaks `text` without a model call. It is also the agent's message in the
   * agent-core transcript (`session.say()`, once no run is active), so the
   * model and every surface see it.
   */
  say(text: string, options: { allowInterruptions?: boolean } = {}): SpeechHandle {
    const speech = this.#newSpeech('say', options.allowInterruptions ?? true);
    speech.modelText = text;
    this.emitter.emit('voice.speech_created', {
      speechId: speech.id,
      source: 'say',
      allowInterruptions: speech.allowInterruptions,
      text,
    });
    const synthesis = this.#syntheses.create(speech);
    synthesis.push(text);
    this.#track(synthesis.end().then(() => this.#complete(speech)));
    this.#track(
      whenIdle(this.agentSession, (session) => session.say(text)).then(async (handle) => {
        speech.runId = handle.runId;
        await handle.result;
        // Cut before its entry existed: cut it now.
        if (speech.interrupted) await this.#truncate(speech);
      }),
    );
    return speech;
  }

  /**
   * Asks the model for a reply: with `userInput`, that becomes the run's user
   * message; without, the run has no new user input (agent-core's
   * `generateReply`), and `instructions` guide this reply only.
   */
  generateReply(options: { userInput?: string; instructions?: string } = {}): SpeechHandle {
    if (options.userInput !== undefined) return this.startReply(options.userInput);
    return this.#reply(undefined, (session) =>
      session.generateReply(this.#runOptions(options.instructions)),
    ).speech;
  }

  /**
   * Hands the conversation to another agent persona mid-session (LiveKit's
   * `updateAgent`): from the next reply on, its runs carry these
   * instructions (on top of the agent-core agent's own), and `maxToolSteps`
   * when given. The transcript goes on unchanged.
   */
  updateAgent(agent: { instructions?: string; maxToolSteps?: number }): void {
    this.#instructions = agent.instructions;
    if (agent.maxToolSteps !== undefined) this.options.maxToolSteps = agent.maxToolSteps;
  }

  /** Stops the current speech (not uninterruptible speech unless `force`). */
  interrupt(options: { force?: boolean } = {}): void {
    const speech = this.#speeches[0];
    if (speech && (speech.allowInterruptions || options.force)) this.interruptSpeech(speech, 'api');
  }

  /** Ends the user's turn now (manual turn detection). */
  commitUserTurn(): void {
    this.#track(this.#tracker.commit());
  }

  /** Forgets what the user said in the current turn. */
  clearUserTurn(): void {
    this.#tracker.clear();
  }

  /** Stops the voice session; the agent session stays open. */
  close(reason: 'user_initiated' | 'input_ended' | 'error' = 'user_initiated'): void {
    if (this.#closed) return;
    this.withdrawPreemptive();
    for (const speech of [...this.#speeches]) this.interruptSpeech(speech, 'closed');
    this.#closed = true;
    this.#tracker.close();
    this.#turns.close();
    if (this.#awayTimer !== undefined) this.clock.clearTimeout(this.#awayTimer);
    this.emitter.emit('voice.closed', { reason });
  }

  // ---- used by TurnTaking and the engines' callbacks ----

  /**
   * Starts a model reply to a finished user turn; a preemptive reply started
   * on the same words is used (it may already have audio), one on other
   * words is withdrawn.
   */
  startReply(text: string, timing?: TurnTiming): SpeechHandle {
    const early = this.#preemptive;
    this.#preemptive = undefined;
    if (early && early.text === text && !early.speech.interrupted) {
      const speech = early.speech;
      this.#turnTiming = timing;
      speech.held = false;
      this.#speeches.push(speech);
      this.setAgentState('thinking');
      if (speech.runId !== undefined) this.#speechCreated(speech);
      speech.run?.confirm();
      this.#track(early.task);
      return speech;
    }
    if (early) this.#withdraw(early);
    this.#turnTiming = timing;
    return this.#reply(undefined, (session) =>
      session.run({ text, source: 'voice' }, this.#runOptions()),
    ).speech;
  }

  /**
   * Preemptive generation: starts the reply to `text` (the user's words so
   * far) before the end of the turn is decided. It streams and synthesises
   * but does not play, run tools or finish until {@link startReply} confirms
   * it; the previous one is withdrawn.
   */
  preemptReply(text: string): void {
    this.withdrawPreemptive();
    const speech = new SpeechHandle(`speech_${this.#nextSpeech++}`, 'generate_reply', true);
    speech.held = true;
    let ready!: () => void;
    const held = new Promise<void>((resolve) => (ready = resolve));
    const synthesis = this.#syntheses.create(speech);
    const { task } = this.#reply(speech, (session) =>
      session.run({ text, source: 'voice' }, { ...this.#runOptions(), preemptive: true }),
    );
    // File input waits for the audio of the held reply, not for a confirmation that needs more input.
    this.#track(held);
    this.#preemptive = { text, speech, task: task.finally(ready) };
    this.#heldReady.set(speech, () => void synthesis.flush().then(ready, ready));
  }

  /** Withdraws the preemptive reply, if any (the user went on, or the turn was cleared). */
  withdrawPreemptive(): void {
    const early = this.#preemptive;
    this.#preemptive = undefined;
    if (early) this.#withdraw(early);
  }

  setAgentState(state: VoiceAgentState): void {
    if (this.#closed || this.#agentState === state) return;
    this.emitter.emit('voice.agent_state', { state, previous: this.#agentState });
    this.#agentState = state;
    this.#armAway();
  }

  setUserState(state: VoiceUserState): void {
    if (this.#closed || this.#userState === state) return;
    this.emitter.emit('voice.user_state', { state, previous: this.#userState });
    this.#userState = state;
    this.#armAway();
  }

  /** Cuts a speech short for good; the history keeps what was spoken. */
  interruptSpeech(
    speech: SpeechHandle,
    reason: 'user_speech' | 'user_turn' | 'api' | 'closed' | 'error',
  ): void {
    if (speech.interrupted || speech.finished) return;
    speech.interrupted = true;
    speech.paused = false;
    this.#syntheses.abort(speech);
    this.emitter.emit(
      'voice.speech_interrupted',
      { speechId: speech.id, reason, spokenMs: speech.spokenMs, text: speech.spokenText() },
      speech.runId,
    );
    this.#finish(speech, true);
    // The agent-core transcript keeps what was spoken (the model's next call sees only that).
    if (speech.runId !== undefined) this.#track(this.#truncate(speech));
  }

  /** A failed engine: `voice.error`; more unrecoverable ones in a row than allowed close the session. */
  reportError(error: VoiceError, speech?: SpeechHandle): void {
    this.#errors++;
    this.emitter.emit('voice.error', {
      code: error.code,
      message: error.message,
      recoverable: false,
      consecutive: this.#errors,
    });
    if (speech && !speech.finished) this.#complete(speech);
    if (this.#errors > this.options.maxUnrecoverableErrors) this.close('error');
  }

  /** Records a user turn in the voice history. */
  addUserTurn(text: string): void {
    this.history.push({ role: 'user', text });
  }

  // ---- playout ----

  #playout(): void {
    let frame: Int16Array | undefined;
    const speech = this.#speeches[0];
    if (speech && !speech.paused) {
      frame = speech.takeFrame();
      if (frame && !speech.started) this.#onFirstPlayed(speech);
      if (speech.playedOut) this.#finish(speech, false);
    }
    this.#output?.write(frame ?? new Int16Array(FRAME_SAMPLES));
  }

  #onFirstPlayed(speech: SpeechHandle): void {
    speech.started = true;
    this.#errors = 0; // speaking again: the errors were not consecutive
    this.setAgentState('speaking');
    const timing = this.#turnTiming;
    if (speech.source !== 'generate_reply' || !timing) return;
    this.#turnTiming = undefined;
    const wall = this.#syntheses.wallTimes(speech);
    this.emitter.emit('voice.metrics', turnMetrics(timing, wall, this.clock.now()), speech.runId);
  }

  #complete(speech: SpeechHandle): void {
    speech.complete = true;
    if (speech.held || speech.withdrawn) return;
    // Nothing to play (empty text, or failed before any audio): it ends now.
    if (!speech.started && speech.bufferedSamples === 0 && !speech.finished)
      this.#finish(speech, speech.interrupted);
  }

  #finish(speech: SpeechHandle, interrupted: boolean): void {
    if (speech.finished) return;
    speech.finished = true;
    const index = this.#speeches.indexOf(speech);
    if (index >= 0) this.#speeches.splice(index, 1);
    this.#syntheses.forget(speech);
    this.emitter.emit(
      'voice.speech_finished',
      { speechId: speech.id, spokenMs: speech.spokenMs, interrupted },
      speech.runId,
    );
    const text = interrupted ? speech.spokenText() : speech.modelText;
    if (speech.spokenMs > 0)
      this.history.push({
        role: 'assistant',
        text,
        speechId: speech.id,
        spokenMs: speech.spokenMs,
        ...(interrupted ? { interrupted: true } : {}),
      });
    this.#turns.onSpeechFinished(speech);
    const next = this.#speeches[0];
    this.setAgentState(next === undefined ? 'listening' : next.started ? 'speaking' : 'thinking');
  }

  /** Starts a reply run into `speech` (a new one unless given), speaking its text as it streams. */
  #reply(
    given: SpeechHandle | undefined,
    start: Reply['start'],
  ): { speech: SpeechHandle; task: Promise<void> } {
    const speech = given ?? this.#newSpeech('generate_reply', true);
    if (!given) this.setAgentState('thinking');
    const synthesis = this.#syntheses.get(speech) ?? this.#syntheses.create(speech);
    const host = {
      agentSession: this.agentSession,
      onRunStarted: (handle: SpeechHandle, run: RunHandle) => {
        handle.runId = run.runId;
        handle.run = run;
        if (!handle.held) {
          run.confirm();
          this.#speechCreated(handle);
        }
      },
      onFirstToken: (handle: SpeechHandle, wallMs: number) =>
        this.#syntheses.addWallTimes(handle, { llmFirstTokenMs: wallMs }),
      onReplyError: (handle: SpeechHandle, message: string, cause?: unknown) =>
        this.reportError(new VoiceError({ code: 'VOICE_LLM_FAILED', message, cause }), handle),
    };
    const task = runReply(host, speech, {
      start,
      synthesis,
      onStepFinished: () => {
        if (speech.held) this.#heldReady.get(speech)?.();
      },
    })
      .then(() => synthesis.end())
      .then(() => this.#complete(speech))
      .finally(() => this.#heldReady.delete(speech));
    // A preemptive reply is tracked once it is confirmed (until then it waits for more input).
    if (!given) this.#track(task);
    return { speech, task };
  }

  #speechCreated(speech: SpeechHandle): void {
    this.emitter.emit(
      'voice.speech_created',
      { speechId: speech.id, source: 'generate_reply', allowInterruptions: true },
      speech.runId,
    );
  }

  /** Options of each reply run: the current agent's instructions and tool-step limit. */
  #runOptions(extra?: string): { instructions?: string; maxToolSteps: number } {
    const instructions = [this.#instructions, extra].filter(Boolean).join('\n\n');
    return { ...(instructions ? { instructions } : {}), maxToolSteps: this.options.maxToolSteps };
  }

  /** A preemptive speech the user spoke past: it never plays, its run leaves nothing. */
  #withdraw({ speech, task }: { speech: SpeechHandle; task: Promise<void> }): void {
    this.#track(task); // it ends now (withdrawn); a failure is still reported
    speech.interrupted = true;
    speech.withdrawn = true;
    this.#syntheses.abort(speech);
    this.#syntheses.forget(speech);
    speech.run?.withdraw();
  }

  /** Cuts the speech's run in the agent-core transcript to what was spoken (once). */
  async #truncate(speech: SpeechHandle): Promise<void> {
    if (speech.runId === undefined || speech.withdrawn || this.#truncated.has(speech)) return;
    this.#truncated.add(speech);
    await truncateToSpoken(this.agentSession, speech);
  }

  #newSpeech(source: SpeechSource, allowInterruptions: boolean): SpeechHandle {
    const speech = new SpeechHandle(`speech_${this.#nextSpeech++}`, source, allowInterruptions);
    this.#speeches.push(speech);
    return speech;
  }

  #track(task: Promise<void>): void {
    const tracked = task.catch((error: unknown) =>
      this.reportError(
        new VoiceError({ code: 'VOICE_LLM_FAILED', message: String(error), cause: error }),
      ),
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  #armAway(): void {
    if (this.#awayTimer !== undefined) this.clock.clearTimeout(this.#awayTimer);
    this.#awayTimer = undefined;
    const timeout = this.options.userAwayTimeoutMs;
    if (timeout == null || this.#agentState !== 'listening' || this.#userState !== 'listening')
      return;
    this.#awayTimer = this.clock.setTimeout(() => this.setUserState('away'), timeout);
  }
}
