import { SAMPLE_RATE } from '../audio/pcm.js';
import { resample } from '../audio/resample.js';
import { decodeWav } from '../audio/wav.js';
import { VoiceError } from '../errors/voice-error.js';

/** Compressed containers a vendor may answer with; the session cannot play them. */
const COMPRESSED: readonly [string, (bytes: Uint8Array) => boolean][] = [
  [
    'mp3',
    (b) =>
      (b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) ||
      (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0),
  ],
  ['ogg', (b) => b[0] === 0x4f && b[1] === 0x67 && b[2] === 0x67 && b[3] === 0x53],
  ['flac', (b) => b[0] === 0x66 && b[1] === 0x4c && b[2] === 0x61 && b[3] === 0x43],
];

/**
 * Turns a vendor's speech audio into the session's 16 kHz mono PCM16: a WAV
 * (any rate, 16-bit mono) is decoded and resampled; headerless bytes are raw
 * little-endian PCM16 at `rawSampleRate` (OpenAI `pcm` is 24 kHz, ElevenLabs
 * `pcm_16000` 16 kHz). Compressed audio (mp3, ogg, flac) is refused with a
 * message naming it: ask the vendor for `wav`/`pcm` instead.
 */
export function decodeSpeechAudio(bytes: Uint8Array, rawSampleRate: number): Int16Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.toString('ascii', 0, 4) === 'RIFF') {
    const wav = decodeWav(buffer);
    return resample(wav.pcm, wav.sampleRate, SAMPLE_RATE);
  }
  const compressed = COMPRESSED.find(([, test]) => bytes.length >= 4 && test(bytes));
  if (compressed)
    throw new VoiceError({
      code: 'VOICE_TTS_FAILED',
      message: `The speech came back as ${compressed[0]}, which is not decoded here; request a wav or pcm output format.`,
      details: { format: compressed[0] },
    });
  const pcm = new Int16Array(bytes.byteLength >> 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = buffer.readInt16LE(i * 2);
  return resample(pcm, rawSampleRate, SAMPLE_RATE);
}
