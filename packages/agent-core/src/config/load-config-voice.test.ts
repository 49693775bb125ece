import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeConfig } from './describe-config.js';
import { loadConfig } from './load-config.js';
import { makeConfigDirs, type ConfigDirs } from './test-helpers/config-dirs.js';

let dirs: ConfigDirs;
afterEach(() => dirs?.[Symbol.dispose]());

const load = (input: Parameters<typeof loadConfig>[0] = {}) =>
  loadConfig({ env: {}, cwd: dirs.cwd, homeDir: dirs.homeDir, ...input });

describe('loadConfig: the voice section', () => {
  it('the offline stack from SWITCHBOARD_VOICE, phrases split on "|"', async () => {
    dirs = makeConfigDirs();
    const config = await load({
      env: {
        SWITCHBOARD_VOICE: 'offline',
        SWITCHBOARD_VOICE_PHRASES: ' what is the weather in paris | no wait i meant tomorrow|',
      },
    });
    expect(config.voice).toEqual({
      mode: 'offline',
      phrases: ['what is the weather in paris', 'no wait i meant tomorrow'],
      stt: { provider: 'offline' },
      tts: { provider: 'offline' },
    });
    expect(config.settings['voice.mode'].source).toEqual({
      kind: 'env',
      name: 'SWITCHBOARD_VOICE',
    });
  });

  it('cloud mode defaults both engines to OpenAI with OPENAI_API_KEY', async () => {
    dirs = makeConfigDirs();
    const config = await load({
      env: { SWITCHBOARD_VOICE: 'cloud', OPENAI_API_KEY: 'sk-openai-0123456789' },
    });
    const openai = {
      provider: 'openai',
      apiKey: 'sk-openai-0123456789',
      apiKeySetting: { key: 'providers.openai.apiKey', env: 'OPENAI_API_KEY' },
    };
    expect(config.voice).toEqual({ mode: 'cloud', phrases: [], stt: openai, tts: openai });
    expect(config.settings['voice.stt.provider']).toEqual({
      value: 'openai',
      source: { kind: 'default' },
    });
    expect(config.warnings).toEqual([]);
  });

  it('flags > env > project file > home file for each engine, keys from the vendors variables', async () => {
    dirs = makeConfigDirs();
    const project = dirs.write(path.join(dirs.repo, 'switchboard.config.json'), {
      voice: {
        mode: 'cloud',
        stt: { provider: 'openai', model: 'whisper-1' },
        tts: { provider: 'openai', voice: 'nova', baseUrl: 'http://127.0.0.1:4010' },
      },
    });
    dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      providers: { elevenlabs: { apiKey: 'el-home-0123456789' } },
      voice: { mode: 'off', stt: { model: 'ignored' }, tts: { model: 'eleven_flash_v2_5' } },
    });
    const config = await load({
      flags: { stt: 'deepgram' },
      env: {
        SWITCHBOARD_VOICE_STT: 'elevenlabs',
        SWITCHBOARD_VOICE_TTS: 'elevenlabs',
        DEEPGRAM_API_KEY: 'dg-env-0123456789',
      },
    });
    expect(config.voice).toEqual({
      mode: 'cloud',
      phrases: [],
      stt: {
        provider: 'deepgram',
        model: 'whisper-1',
        apiKey: 'dg-env-0123456789',
        apiKeySetting: { key: 'providers.deepgram.apiKey', env: 'DEEPGRAM_API_KEY' },
      },
      tts: {
        provider: 'elevenlabs',
        model: 'eleven_flash_v2_5',
        voice: 'nova',
        baseUrl: 'http://127.0.0.1:4010',
        apiKey: 'el-home-0123456789',
        apiKeySetting: { key: 'providers.elevenlabs.apiKey', env: 'ELEVENLABS_API_KEY' },
      },
    });
    expect(config.settings['voice.stt.provider'].source).toEqual({ kind: 'flag', name: '--stt' });
    expect(config.settings['voice.tts.provider'].source).toEqual({
      kind: 'env',
      name: 'SWITCHBOARD_VOICE_TTS',
    });
    expect(config.settings['voice.mode'].source).toEqual({ kind: 'file', path: project });
  });

  it('keys are redacted in the doctor report; a cloud engine without one is a warning', async () => {
    dirs = makeConfigDirs();
    const config = await load({
      flags: { tts: 'elevenlabs' },
      env: { SWITCHBOARD_VOICE_STT: 'deepgram', DEEPGRAM_API_KEY: 'dg-secret-0123456789abcd' },
    });
    const rows = describeConfig(config);
    expect(rows.find((row) => row.key === 'providers.deepgram.apiKey')).toEqual({
      key: 'providers.deepgram.apiKey',
      value: '…abcd',
      source: 'env DEEPGRAM_API_KEY',
    });
    expect(JSON.stringify(rows)).not.toContain('0123456789');
    expect(config.warnings).toEqual([
      'voice.tts.provider is elevenlabs but no key is set; set ELEVENLABS_API_KEY or "providers.elevenlabs.apiKey".',
    ]);
  });
});

describe('loadConfig: invalid voice settings', () => {
  it('a wrong variable or flag is CORE_CONFIG_INVALID naming it and the allowed values', async () => {
    dirs = makeConfigDirs();
    const error = await load({
      flags: { stt: 'whisper' },
      env: {
        SWITCHBOARD_VOICE: 'on',
        SWITCHBOARD_VOICE_TTS_BASE_URL: 'ftp://x',
        SWITCHBOARD_VOICE_PHRASES: '|',
      },
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CORE_CONFIG_INVALID' });
    expect((error as Error).message.split('\n').filter((line) => line.startsWith('- '))).toEqual([
      '- SWITCHBOARD_VOICE: must be one of off, offline, cloud (got "on")',
      '- SWITCHBOARD_VOICE_PHRASES: must be phrases separated by "|" like "what is the weather|stop" (got "|")',
      '- --stt: must be one of offline, openai, deepgram, elevenlabs (got "whisper")',
      '- SWITCHBOARD_VOICE_TTS_BASE_URL: must be an http(s) URL like "http://127.0.0.1:4010" (the vendor\'s paths are kept) (got "ftp://x")',
    ]);
  });

  it('a file with unknown voice keys gets suggestions; a bad phrase names its index', async () => {
    dirs = makeConfigDirs();
    const file = dirs.write(path.join(dirs.repo, 'switchboard.config.json'), {
      voice: {
        mod: 'cloud',
        phrases: ['fine', 'a|b'],
        stt: { provider: 'whisper', modle: 'x' },
      },
      providers: { deepgram: { apiKey: 7 } },
    });
    const error = await load().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CORE_CONFIG_INVALID' });
    const lines = (error as Error).message
      .split('\n')
      .filter((line) => line.startsWith('- '))
      .sort();
    expect(lines).toEqual(
      [
        `- ${file}: "providers.deepgram.apiKey" must be a non-empty string`,
        `- ${file}: "voice.phrases[1]" must be a non-empty phrase without "|" (got "a|b")`,
        `- ${file}: "voice.stt.provider" must be one of offline, openai, deepgram, elevenlabs (got "whisper")`,
        `- ${file}: unknown key "voice.mod"; did you mean "voice.mode"?`,
        `- ${file}: unknown key "voice.stt.modle"; did you mean "voice.stt.model"?`,
      ].sort(),
    );
  });
});
