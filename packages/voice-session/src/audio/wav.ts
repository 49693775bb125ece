import { readFileSync, writeFileSync } from 'node:fs';
import { VoiceError } from '../errors/voice-error.js';

/** Decoded mono PCM16 audio. */
export interface PcmAudio {
  sampleRate: number;
  pcm: Int16Array;
}

/**
 * Decodes a RIFF/WAVE buffer of 16-bit mono PCM. A `data` chunk whose size is
 * unknown (0 or 0xFFFFFFFF, as `espeak-ng --stdout` writes it) runs to the end.
 */
export function decodeWav(buffer: Buffer): PcmAudio {
  if (buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE')
    throw new VoiceError({ code: 'VOICE_INVALID_AUDIO', message: 'Not a RIFF/WAVE file.' });
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | undefined;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      format = {
        tag: buffer.readUInt16LE(offset + 8),
        channels: buffer.readUInt16LE(offset + 10),
        sampleRate: buffer.readUInt32LE(offset + 12),
        bits: buffer.readUInt16LE(offset + 22),
      };
    } else if (id === 'data') {
      if (!format || format.tag !== 1 || format.bits !== 16 || format.channels !== 1)
        throw new VoiceError({
          code: 'VOICE_INVALID_AUDIO',
          message: `Need 16-bit mono PCM WAV, got ${JSON.stringify(format)}.`,
        });
      const end =
        size === 0 || size === 0xff_ff_ff_ff
          ? buffer.length
          : Math.min(buffer.length, offset + 8 + size);
      const bytes = buffer.subarray(offset + 8, end);
      const pcm = new Int16Array(bytes.length >> 1);
      for (let index = 0; index < pcm.length; index++) pcm[index] = bytes.readInt16LE(index * 2);
      return { sampleRate: format.sampleRate, pcm };
    }
    offset += 8 + size + (size & 1);
  }
  throw new VoiceError({ code: 'VOICE_INVALID_AUDIO', message: 'WAV file has no data chunk.' });
}

/** Encodes mono PCM16 as a WAV buffer. */
export function encodeWav(pcm: Int16Array, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  const dataBytes = pcm.length * 2;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  const data = Buffer.alloc(dataBytes);
  for (let index = 0; index < pcm.length; index++) data.writeInt16LE(pcm[index]!, index * 2);
  return Buffer.concat([header, data]);
}

/** Reads a 16-bit mono WAV file. */
export const readWav = (path: string): PcmAudio => decodeWav(readFileSync(path));

/** Writes mono PCM16 to a WAV file. */
export function writeWav(path: string, pcm: Int16Array, sampleRate: number): void {
  writeFileSync(path, encodeWav(pcm, sampleRate));
}
