import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Socket } from 'node:net';
import { z } from 'zod';
import { SAMPLE_RATE, samplesToMs } from '../audio/pcm.js';
import { resample } from '../audio/resample.js';
import { decodeWav } from '../audio/wav.js';
import { parseVoiceOptions } from '../errors/parse-voice-options.js';
import { VoiceError } from '../errors/voice-error.js';
import type { Tts, TtsAudio, TtsWord } from './tts.js';

/** Options of {@link EspeakTts}. */
export const espeakOptionsSchema = z.strictObject({
  /** The espeak-ng executable (Debian: `apt-get install espeak-ng`). */
  command: z.string().default('espeak-ng'),
  voice: z.string().default('en-us'),
  /** Words per minute. */
  rate: z.number().int().min(80).max(450).default(175),
});
export type EspeakOptions = z.input<typeof espeakOptionsSchema>;

/**
 * Speech with espeak-ng, run as a separate process (`espeak-ng --stdout`,
 * the text on stdin): espeak-ng is GPL-3.0, so it is called, never bundled.
 * Its 22.05 kHz output is resampled to 16 kHz. The CLI reports no word
 * timings, so they are estimated: the voiced part of the audio is shared
 * among the words in proportion to their length (`estimatedTimings: true`).
 *
 * One process is kept warm: started ahead and waiting on stdin (its voice
 * data loaded), it takes the next sentence at once while a new one starts
 * for the sentence after. {@link close} ends it; an idle one never keeps
 * Node running, and exits on its own when this process does (stdin ends).
 */
export class EspeakTts implements Tts {
  readonly label = 'espeak-ng';
  readonly #options: z.output<typeof espeakOptionsSchema>;
  #warm: ChildProcessWithoutNullStreams | undefined;
  #closed = false;

  constructor(options: EspeakOptions = {}) {
    this.#options = parseVoiceOptions(espeakOptionsSchema, options, 'EspeakTts');
    this.#warm = this.#spawn();
  }

  async synthesize(text: string, options: { signal?: AbortSignal } = {}): Promise<TtsAudio> {
    const child = this.#take();
    const wav = await run(child, { command: this.#options.command, text, signal: options.signal });
    const decoded = decodeWav(wav);
    const pcm = resample(decoded.pcm, decoded.sampleRate, SAMPLE_RATE);
    return { pcm, words: estimateWordTimings(text, pcm), estimatedTimings: true };
  }

  /** Ends the warm process; later calls start a process each (none is kept). */
  close(): void {
    this.#closed = true;
    const warm = this.#warm;
    this.#warm = undefined;
    warm?.kill();
  }

  /** The warm process (a fresh one if it died), and a new warm one behind it. */
  #take(): ChildProcessWithoutNullStreams {
    let child = this.#warm;
    if (!child || child.exitCode != null || child.signalCode != null) child = this.#spawn();
    this.#warm = this.#closed ? undefined : this.#spawn();
    for (const stream of [child.stdin, child.stdout, child.stderr])
      if (stream instanceof Socket) stream.ref();
    child.ref();
    return child;
  }

  /** Starts espeak-ng waiting for text on stdin, not holding the event loop while idle. */
  #spawn(): ChildProcessWithoutNullStreams {
    const { command, voice, rate } = this.#options;
    const child = spawn(command, ['-v', voice, '-s', String(rate), '--stdout'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A warm process that failed to start is reported by the call that takes it.
    const failed: Error[] = [];
    child.on('error', (error) => failed.push(error));
    child.stdin.on('error', () => undefined); // EPIPE when it died: reported on close
    spawnErrors.set(child, failed);
    for (const stream of [child.stdin, child.stdout, child.stderr])
      if (stream instanceof Socket) stream.unref();
    child.unref();
    return child;
  }
}

/** Start errors of each spawned process (they may come before it is used). */
const spawnErrors = new WeakMap<ChildProcessWithoutNullStreams, Error[]>();

/** Feeds `text` to a waiting espeak-ng and collects its WAV. */
function run(
  child: ChildProcessWithoutNullStreams,
  { command, text, signal }: { command: string; text: string; signal: AbortSignal | undefined },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    let stderr = '';
    const cannotRun = (error: Error) =>
      reject(
        new VoiceError({
          code: 'VOICE_TTS_FAILED',
          message: `Could not run ${command}: ${error.message}`,
          cause: error,
        }),
      );
    const early = spawnErrors.get(child)?.[0];
    if (early) return cannotRun(early);
    const abort = () => {
      child.kill('SIGKILL');
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', cannotRun);
    child.on('close', (code) => {
      signal?.removeEventListener('abort', abort);
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new VoiceError({
            code: 'VOICE_TTS_FAILED',
            message: `${command} exited with ${code}: ${stderr.trim().slice(0, 200)}`,
          }),
        );
    });
    // One line, as the text would read as an argument (a line break on stdin is a pause).
    child.stdin.end(text.replace(/\s+/g, ' ').trim());
  });
}

/** Word start times spread over the voiced span of `pcm`, in proportion to word length. */
export function estimateWordTimings(text: string, pcm: Int16Array): TtsWord[] {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const loud = (index: number) => Math.abs(pcm[index]!) > 300;
  let first = 0;
  while (first < pcm.length && !loud(first)) first++;
  let last = pcm.length - 1;
  while (last > first && !loud(last)) last--;
  const weights = words.map((word) => word.length + 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const span = Math.max(0, last - first);
  let acc = 0;
  return words.map((word, index) => {
    const startMs = samplesToMs(first + (span * acc) / total);
    acc += weights[index]!;
    return { text: word, startMs: Math.round(startMs) };
  });
}
