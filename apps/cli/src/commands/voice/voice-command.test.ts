import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startModelServer } from '@switchboard/testkit';
import { SileroVad, decodeWav } from '@switchboard/voice-session';
import { describe, expect, it } from 'vitest';

// The built binary, as users run it (the `test` target builds it first).
const bin = fileURLToPath(new URL('../../../dist/bin.js', import.meta.url));
const question = fileURLToPath(
  new URL('../../../../../packages/voice-session/fixtures/weather.wav', import.meta.url),
);
const run = promisify(execFile);

describe('the built switchboard binary: voice', () => {
  it('answers a spoken question from a WAV file and writes the spoken answer', async () => {
    await using server = await startModelServer({
      script: [{ text: 'It is sunny in Paris today.' }],
    });
    const home = mkdtempSync(path.join(tmpdir(), 'switchboard-voice-'));
    const out = path.join(home, 'answer.wav');
    const { stdout } = await run(
      process.execPath,
      [
        bin,
        'voice',
        '--in',
        question,
        '--out',
        out,
        '--transcript',
        '--phrase',
        'what is the weather in paris',
      ],
      {
        cwd: home,
        env: {
          ...process.env,
          SWITCHBOARD_HOME: home,
          SWITCHBOARD_MODEL: 'openai-compatible:test-model',
          SWITCHBOARD_BASE_URL: server.baseUrl,
        },
      },
    );
    expect(stdout).toBe('user: what is the weather in paris\nagent: It is sunny in Paris today.\n');
    const answer = decodeWav(readFileSync(out));
    const spans = await (await SileroVad.load()).speechSpans(answer.pcm);
    expect(spans).toHaveLength(1);
    expect(spans[0]![0]).toBeGreaterThan(1500); // after the question (1.35 s) and the endpointing
  });
});
