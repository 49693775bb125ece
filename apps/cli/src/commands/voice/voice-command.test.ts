import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startModelServer, startSpeechServer } from '@switchboard/testkit';
import { SileroVad, decodeWav } from '@switchboard/voice-session';
import { describe, expect, it } from 'vitest';
import { startCli } from '../../test-helpers/cli-process.js';

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

describe('the built switchboard binary: voice with cloud engines', { timeout: 120_000 }, () => {
  it('--stt deepgram --tts openai: a full turn through the vendor stand-in', async () => {
    await using speech = await startSpeechServer({
      transcripts: [{ text: 'what is the weather in paris' }],
      apiKey: 'vendor-key-0123456789',
    });
    await using server = await startModelServer({
      script: [{ text: 'It is sunny in Paris today.' }],
    });
    const home = mkdtempSync(path.join(tmpdir(), 'switchboard-voice-cloud-'));
    const out = path.join(home, 'answer.wav');
    const cli = startCli(
      [
        'voice',
        '--in',
        question,
        '--out',
        out,
        '--transcript',
        '--stt',
        'deepgram',
        '--tts',
        'openai',
      ],
      {
        cwd: home,
        env: {
          SWITCHBOARD_HOME: home,
          SWITCHBOARD_MODEL: 'openai-compatible:test-model',
          SWITCHBOARD_BASE_URL: server.baseUrl,
          // The engines' origin (the vendors' paths are kept): the stand-in.
          SWITCHBOARD_VOICE_STT_BASE_URL: speech.origin,
          SWITCHBOARD_VOICE_TTS_BASE_URL: speech.origin,
          DEEPGRAM_API_KEY: 'vendor-key-0123456789',
          OPENAI_API_KEY: 'vendor-key-0123456789',
        },
      },
    );
    const result = await cli.done;
    expect(result.stderr).not.toMatch(/VOICE_|Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'user: what is the weather in paris\nagent: It is sunny in Paris today.\n',
    );
    expect(speech.requests.map((r) => `${r.vendor}:${r.kind}:${r.status}`)).toEqual([
      'deepgram:transcription:200',
      'openai:speech:200',
    ]);
    expect(speech.requests[1]!.text).toBe('It is sunny in Paris today.');
    const answer = decodeWav(readFileSync(out));
    const spans = await (await SileroVad.load()).speechSpans(answer.pcm);
    expect(spans).toHaveLength(1);
    expect(spans[0]![0]).toBeGreaterThan(1500);
  });

  it('a cloud engine without its key: VOICE_ENGINE_UNAVAILABLE naming the variable', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'switchboard-voice-nokey-'));
    const cli = startCli(
      ['voice', '--in', question, '--out', path.join(home, 'a.wav'), '--tts', 'elevenlabs'],
      {
        cwd: home,
        env: {
          SWITCHBOARD_HOME: home,
          SWITCHBOARD_MODEL: 'openai-compatible:test-model',
          SWITCHBOARD_BASE_URL: 'http://127.0.0.1:9/v1',
        },
      },
    );
    const result = await cli.done;
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('VOICE_ENGINE_UNAVAILABLE');
    expect(result.stderr).toContain('ELEVENLABS_API_KEY');
  });

  it('a wrong --stt is CORE_CONFIG_INVALID listing the engines', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'switchboard-voice-badstt-'));
    const cli = startCli(
      ['voice', '--in', question, '--out', path.join(home, 'a.wav'), '--stt', 'whisper'],
      {
        cwd: home,
        env: { SWITCHBOARD_HOME: home },
      },
    );
    const result = await cli.done;
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('CORE_CONFIG_INVALID');
    expect(result.stderr).toContain('--stt: must be one of offline, openai, deepgram, elevenlabs');
  });
});
