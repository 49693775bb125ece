import { spawn } from 'node:child_process';

/** Mono PCM16 at a sample rate. */
export interface Pcm16 {
  sampleRate: number;
  pcm: Int16Array;
}

/**
 * Speaks `text` with the espeak-ng CLI (a separate process: espeak-ng is GPL
 * and never bundled), or, with `tone`, makes a voiced syllable-shaped tone of
 * `msPerChar` per character (for machines without espeak-ng; a VAD may not
 * take it for speech).
 */
export async function synthesize(
  text: string,
  engine: 'espeak' | 'tone',
  msPerChar = 60,
): Promise<Pcm16> {
  if (engine === 'tone') return tone(text, msPerChar);
  const wav = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('espeak-ng', ['--stdout', '-v', 'en-us', '-s', '175', text], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`espeak-ng exited ${code}`)),
    );
  });
  return decodeWav(wav);
}

function tone(text: string, msPerChar: number): Pcm16 {
  const sampleRate = 16_000;
  const pcm = new Int16Array(Math.round((text.length * msPerChar * sampleRate) / 1000));
  const syllable = (sampleRate * 180) / 1000;
  for (let i = 0; i < pcm.length; i++) {
    const envelope = Math.sin((Math.PI * (i % syllable)) / syllable);
    const t = i / sampleRate;
    const voiced = Math.sin(2 * Math.PI * 140 * t) + 0.5 * Math.sin(2 * Math.PI * 280 * t);
    pcm[i] = Math.round(9_000 * envelope * voiced);
  }
  return { sampleRate, pcm };
}

/** Linear-interpolation resampling (test audio only). */
export function resampleLinear(audio: Pcm16, toRate: number): Int16Array {
  if (audio.sampleRate === toRate) return audio.pcm;
  const out = new Int16Array(Math.floor((audio.pcm.length * toRate) / audio.sampleRate));
  const step = audio.sampleRate / toRate;
  for (let i = 0; i < out.length; i++) {
    const x = i * step;
    const j = Math.floor(x);
    const a = audio.pcm[j] ?? 0;
    const b = audio.pcm[j + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (x - j));
  }
  return out;
}

/**
 * A 16-bit mono RIFF/WAVE file. Written here on purpose, apart from
 * voice-session's codec: a stand-in that shared the code under test's WAV
 * writer and reader would agree with any bug in them.
 */
export function encodeWav(pcm: Int16Array, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length * 2, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length * 2, 40);
  return Buffer.concat([header, rawPcm(pcm)]);
}

/** Little-endian PCM16 bytes. */
export function rawPcm(pcm: Int16Array): Buffer {
  const out = Buffer.alloc(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i]!, i * 2);
  return out;
}

/** Reads a 16-bit mono WAV (a `data` size of 0 or 0xFFFFFFFF runs to the end, as espeak-ng writes it). */
export function decodeWav(buffer: Buffer): Pcm16 {
  if (buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('Not a RIFF/WAVE file');
  let offset = 12;
  let sampleRate = 0;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    if (id === 'fmt ') sampleRate = buffer.readUInt32LE(offset + 12);
    else if (id === 'data') {
      const end =
        size === 0 || size === 0xff_ff_ff_ff
          ? buffer.length
          : Math.min(buffer.length, offset + 8 + size);
      const bytes = buffer.subarray(offset + 8, end);
      const pcm = new Int16Array(bytes.length >> 1);
      for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.readInt16LE(i * 2);
      return { sampleRate, pcm };
    }
    offset += 8 + size + (size & 1);
  }
  throw new Error('WAV without a data chunk');
}
