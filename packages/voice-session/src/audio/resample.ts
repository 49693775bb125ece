/**
 * Linear-interpolation resampling of mono PCM16. Good enough for speech going
 * into a VAD or out to a speaker (espeak-ng's 22.05 kHz to 16 kHz); not a
 * mastering-grade filter.
 */
export function resample(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return pcm;
  const length = Math.floor((pcm.length * toRate) / fromRate);
  const out = new Int16Array(length);
  for (let index = 0; index < length; index++) {
    const position = (index * fromRate) / toRate;
    const left = Math.floor(position);
    const fraction = position - left;
    const a = pcm[left] ?? 0;
    const b = pcm[left + 1] ?? a;
    out[index] = Math.round(a * (1 - fraction) + b * fraction);
  }
  return out;
}
