// The session's one audio format: 16 kHz mono signed 16-bit PCM, in 20 ms frames. Engines convert
// at their edges (espeak-ng speaks 22.05 kHz, see resample.ts).

/** Sample rate of every frame the session sees. */
export const SAMPLE_RATE = 16_000;
/** Duration of one frame. */
export const FRAME_MS = 20;
/** Samples in one frame (320). */
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;

/** Milliseconds of audio in `samples` samples at 16 kHz. */
export const samplesToMs = (samples: number): number => (samples * 1000) / SAMPLE_RATE;

/** Samples in `ms` milliseconds at 16 kHz (rounded). */
export const msToSamples = (ms: number): number => Math.round((ms * SAMPLE_RATE) / 1000);

/** Joins PCM chunks into one buffer. */
export function concatPcm(chunks: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Splits PCM into whole 20 ms frames; a short tail is padded with silence. */
export function toFrames(pcm: Int16Array): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let offset = 0; offset < pcm.length; offset += FRAME_SAMPLES) {
    const frame = new Int16Array(FRAME_SAMPLES);
    frame.set(pcm.subarray(offset, Math.min(pcm.length, offset + FRAME_SAMPLES)));
    frames.push(frame);
  }
  return frames;
}

/** A clip placed at a time, for {@link mixAt}. */
export interface Placed {
  atMs: number;
  pcm: Int16Array;
}

/** `durationMs` of silence with `clips` mixed in at their times (clipped to 16 bits). */
export function mixAt(durationMs: number, clips: readonly Placed[]): Int16Array {
  const out = new Int16Array(msToSamples(durationMs));
  for (const clip of clips) {
    const start = msToSamples(clip.atMs);
    for (let index = 0; index < clip.pcm.length && start + index < out.length; index++) {
      const sum = out[start + index]! + clip.pcm[index]!;
      out[start + index] = Math.max(-32_768, Math.min(32_767, sum));
    }
  }
  return out;
}
