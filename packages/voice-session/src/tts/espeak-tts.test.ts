import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../audio/pcm.js';
import { resample } from '../audio/resample.js';
import { decodeWav } from '../audio/wav.js';
import { EspeakTts } from './espeak-tts.js';

/** The espeak-ng processes this process started (running or waiting on stdin). */
function espeakChildren(): number[] {
  const listing = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,comm='], {
    encoding: 'utf8',
  });
  return listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, comm]) => comm === 'espeak-ng')
    .map(([pid]) => Number(pid));
}

async function until(condition: () => boolean): Promise<void> {
  for (let n = 0; n < 200 && !condition(); n++)
    await new Promise((resolve) => setTimeout(resolve, 25));
  expect(condition()).toBe(true);
}

const TEXT = 'Hello there. The weather in Paris is sunny today.';

describe('EspeakTts (espeak-ng, one process kept warm)', { timeout: 30_000 }, () => {
  it('keeps exactly one process waiting between sentences, a new one each time; close() ends it', async () => {
    expect(espeakChildren()).toEqual([]);
    const tts = new EspeakTts();
    await until(() => espeakChildren().length === 1);
    const [warm] = espeakChildren();
    const audio = await tts.synthesize(TEXT);
    expect(audio.pcm.length).toBeGreaterThan(SAMPLE_RATE); // over a second of speech
    // The warm one spoke and exited; another waits for the next sentence.
    await until(() => espeakChildren().length === 1);
    expect(espeakChildren()).not.toContain(warm);
    // Sentences at once: each gets a process, one stays warm after.
    const many = await Promise.all([
      tts.synthesize('One.'),
      tts.synthesize('Two.'),
      tts.synthesize('Three.'),
    ]);
    expect(many.every((spoken) => spoken.pcm.length > 0)).toBe(true);
    await until(() => espeakChildren().length === 1);
    tts.close();
    await until(() => espeakChildren().length === 0);
    // Closed: a call still works, with a process of its own and none kept.
    expect((await tts.synthesize('Bye.')).pcm.length).toBeGreaterThan(0);
    await until(() => espeakChildren().length === 0);
  });

  it('speaks exactly what the command line speaks with the text as an argument (line breaks too)', async () => {
    const tts = new EspeakTts({ voice: 'en-us', rate: 175 });
    try {
      const text = `${TEXT}\nSecond line.`;
      const direct = decodeWav(
        execFileSync('espeak-ng', ['-v', 'en-us', '-s', '175', '--stdout', '--', text]),
      );
      const expected = resample(direct.pcm, direct.sampleRate, SAMPLE_RATE);
      expect((await tts.synthesize(text)).pcm).toEqual(expected);
    } finally {
      tts.close();
    }
    await until(() => espeakChildren().length === 0);
  });

  it('an aborted call kills its process; a missing command is VOICE_TTS_FAILED', async () => {
    const tts = new EspeakTts();
    try {
      const controller = new AbortController();
      controller.abort(new Error('barge-in'));
      await expect(tts.synthesize(TEXT, { signal: controller.signal })).rejects.toThrow('barge-in');
    } finally {
      tts.close();
    }
    await until(() => espeakChildren().length === 0);
    const missing = new EspeakTts({ command: 'espeak-ng-not-installed' });
    await expect(missing.synthesize(TEXT)).rejects.toMatchObject({ code: 'VOICE_TTS_FAILED' });
    missing.close();
  });
});
