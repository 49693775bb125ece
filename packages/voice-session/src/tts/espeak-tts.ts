import { spawn } from 'node:child_process';
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
 * Speech with espeak-ng, run as a separate process (`espeak-ng --stdout`):
 * espeak-ng is GPL-3.0, so it is called, never bundled. Its 22.05 kHz output
 * is resampled to 16 kHz. The CLI reports no word timings, so they are
 * estimated: the voiced part of the audio is shared among the words in
 * proportion to their length (`estimatedTimings: true`).
 */
export class EspeakTts implements Tts {
  readonly label = 'espeak-ng';
  readonly #options: z.output<typeof espeakOptionsSchema>;

  constructor(options: EspeakOptions = {}) {
    this.#options = parseVoiceOptions(espeakOptionsSchema, options, 'EspeakTts');
  }

  async synthesize(text: string, options: { signal?: AbortSignal } = {}): Promise<TtsAudio> {
    const { command, voice, rate } = this.#options;
    const args = ['-v', voice, '-s', String(rate), '--stdout', '--', text];
    const wav = await run(command, args, options.signal);
    const decoded = decodeWav(wav);
    const pcm = resample(decoded.pcm, decoded.sampleRate, SAMPLE_RATE);
    return { pcm, words: estimateWordTimings(text, pcm), estimatedTimings: true };
  }
}

function run(command: string, args: string[], signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(
        new VoiceError({
          code: 'VOICE_TTS_FAILED',
          message: `Could not run ${command}: ${error.message}`,
          cause: error,
        }),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new VoiceError({
            code: 'VOICE_TTS_FAILED',
            message: `${command} exited with ${code}: ${stderr.trim().slice(0, 200)}`,
          }),
        );
    });
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
