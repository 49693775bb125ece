import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.js';
import { applyTextTransforms } from '../tts/text-transforms.js';
import { jsgfGrammar, stripFillers } from '../stt/jsgf-grammar.js';
import { FRAME_SAMPLES, mixAt, toFrames } from './pcm.js';
import { resample } from './resample.js';
import { decodeWav, encodeWav } from './wav.js';

describe('audio primitives', () => {
  it('WAV round trip keeps every sample; a bad file is VOICE_INVALID_AUDIO', () => {
    const pcm = Int16Array.from([0, 1, -1, 32_767, -32_768, 1234]);
    expect(decodeWav(encodeWav(pcm, 16_000))).toEqual({ sampleRate: 16_000, pcm });
    expect(() => decodeWav(Buffer.from('not a wav file at all'))).toThrow(
      expect.objectContaining({ code: 'VOICE_INVALID_AUDIO' }) as Error,
    );
  });

  it('an unknown data size (espeak-ng --stdout) runs to the end of the buffer', () => {
    const wav = encodeWav(Int16Array.from([5, 6, 7]), 22_050);
    wav.writeUInt32LE(0xff_ff_ff_ff, 40);
    expect(Array.from(decodeWav(wav).pcm)).toEqual([5, 6, 7]);
  });

  it('frames are 20 ms with a zero-padded tail; mixAt places and clips', () => {
    const frames = toFrames(new Int16Array(FRAME_SAMPLES + 10).fill(3));
    expect(frames).toHaveLength(2);
    expect(frames[1]![9]).toBe(3);
    expect(frames[1]![10]).toBe(0);
    const mixed = mixAt(10, [
      { atMs: 0, pcm: Int16Array.from([30_000]) },
      { atMs: 0, pcm: Int16Array.from([30_000]) },
    ]);
    expect(mixed[0]).toBe(32_767);
  });

  it('resamples 22.05 kHz to 16 kHz keeping the duration', () => {
    expect(resample(new Int16Array(22_050), 22_050, 16_000)).toHaveLength(16_000);
  });
});

describe('ManualClock', () => {
  it('fires timers in due order while advancing, never on its own', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 50);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 20);
    const cancelled = clock.setTimeout(() => fired.push('never'), 30);
    clock.clearTimeout(cancelled);
    clock.advance(40);
    expect(fired).toEqual(['a@20']);
    clock.advance(20);
    expect(fired).toEqual(['a@20', 'b@50']);
    expect(clock.now()).toBe(60);
  });
});

describe('text for speech', () => {
  it('drops markdown and emoji', () => {
    const text = '# Title\n- **Sure!** see [the docs](http://x) `code` 😀👍🏽';
    expect(applyTextTransforms(text, ['filter_markdown', 'filter_emoji'])).toBe(
      'Title Sure! see the docs code',
    );
  });

  it('a grammar offers fillers at a low weight; fillers are stripped from transcripts', () => {
    expect(jsgfGrammar(['What is it?'], ['uh'])).toContain(
      'public <utterance> = /1/ <phrase> | /0.001/ <filler>;',
    );
    expect(stripFillers('uh stop hmm')).toBe('stop');
  });
});
