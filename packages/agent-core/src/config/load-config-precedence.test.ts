import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_KEYS, flagName, type ConfigKey } from './config-keys.js';
import { loadConfig } from './load-config.js';
import { makeConfigDirs, type ConfigDirs } from './test-helpers/config-dirs.js';

type Layer = 'flag' | 'env' | 'project' | 'home';
const LAYERS: readonly Layer[] = ['flag', 'env', 'project', 'home'];

let dirs: ConfigDirs | undefined;
afterEach(() => dirs?.[Symbol.dispose]());

/** A valid value of `key` that says which layer it came from, as JSON (files) and as text (flags, env). */
function sample(key: ConfigKey, layer: Layer): unknown {
  const index = LAYERS.indexOf(layer);
  if (key === 'stores.databaseUrl') return `postgres://${layer}@db.test/switchboard`;
  if (key === 'model') return `openai:${layer}`;
  if (key === 'fallbackModels' || key === 'models') return [`anthropic:${layer}`];
  if (key.endsWith('baseUrl')) return `http://${layer}.test/v1`;
  if (key === 'server.host') return `${layer}.example`;
  if (key === 'server.port') return 1001 + index;
  if (key === 'stores.leaseMs') return 30_001 + index;
  if (key === 'stores.idleReleaseMs') return 101 + index;
  if (key === 'server.allowedHosts') return [`${layer}.example`];
  if (key === 'server.allowedOrigins') return [`https://${layer}.example`];
  if (key === 'voice.mode') return (['offline', 'cloud', 'off', 'offline'] as const)[index];
  if (key === 'voice.phrases') return [`what is the ${layer} weather`];
  if (key === 'voice.stt.provider' || key === 'voice.tts.provider')
    return (['openai', 'deepgram', 'elevenlabs', 'offline'] as const)[index];
  if (key === 'home' || key.startsWith('stores.')) return `${layer}-dir`;
  return `${layer}-0123456789abcdef`;
}

function setDeep(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

const available = (spec: (typeof CONFIG_KEYS)[number]): Layer[] =>
  LAYERS.filter(
    (layer) =>
      (layer !== 'flag' || 'flag' in spec) &&
      (layer !== 'env' || spec.env.length > 0) &&
      // The home file is found through `home`, so it cannot set it.
      (layer !== 'home' || spec.key !== 'home'),
  );

const cases = CONFIG_KEYS.flatMap((spec) => {
  const layers = available(spec);
  return [
    ...layers.map((winner, index) => ({ key: spec.key, winner, set: layers.slice(index) })),
    { key: spec.key, winner: 'none' as const, set: [] as Layer[] },
  ];
});

describe('loadConfig precedence: flag > env > project file > home file > default', () => {
  it('SWITCHBOARD_PORT/HOST win over the platform PORT/HOST, which win over files', async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.repo, 'switchboard.config.json'), { server: { port: 9000 } });
    const both = await loadConfig({
      env: {
        SWITCHBOARD_PORT: '9001',
        PORT: '9002',
        HOST: '0.0.0.0',
        SWITCHBOARD_TOKEN: 'x'.repeat(20),
      },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(both.settings['server.port']).toEqual({
      value: 9001,
      source: { kind: 'env', name: 'SWITCHBOARD_PORT' },
    });
    expect(both.settings['server.host']).toEqual({
      value: '0.0.0.0',
      source: { kind: 'env', name: 'HOST' },
    });
    const platform = await loadConfig({
      env: { PORT: '9002' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(platform.settings['server.port']).toEqual({
      value: 9002,
      source: { kind: 'env', name: 'PORT' },
    });
  });

  it('rejects a bad list item and names the variable', async () => {
    dirs = makeConfigDirs();
    const error = await loadConfig({
      env: { SWITCHBOARD_ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CORE_CONFIG_INVALID',
      message: expect.stringContaining('SWITCHBOARD_ALLOWED_ORIGINS'),
    });
  });

  it.each(cases)('$key from $winner when set in: $set', async ({ key, winner, set }) => {
    dirs = makeConfigDirs();
    const spec = CONFIG_KEYS.find((candidate) => candidate.key === key)!;
    const flags: Record<string, string> = {};
    const env: Record<string, string> = {};
    const project: Record<string, unknown> = {};
    const home: Record<string, unknown> = {};
    for (const layer of set) {
      const value = sample(key, layer);
      // Lists arrive comma-separated in flags and variables.
      const text = Array.isArray(value) ? value.join(',') : String(value);
      if (layer === 'flag' && 'flag' in spec) flags[spec.flag] = text;
      if (layer === 'env') env[spec.env[0]!] = text;
      if (layer === 'project') setDeep(project, key, value);
      if (layer === 'home') setDeep(home, key, value);
    }
    const projectFile = dirs.write(path.join(dirs.repo, 'switchboard.config.json'), project);
    const homeFile = dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), home);

    const config = await loadConfig({ flags, env, cwd: dirs.cwd, homeDir: dirs.homeDir });

    const setting = config.settings[key];
    const expectedSource = {
      flag: { kind: 'flag', name: 'flag' in spec ? flagName(spec.flag) : '' },
      env: { kind: 'env', name: spec.env[0] },
      project: { kind: 'file', path: projectFile },
      home: { kind: 'file', path: homeFile },
      none: 'default' in spec ? { kind: 'default' } : { kind: 'unset' },
    }[winner];
    expect(setting.source).toEqual(expectedSource);
    if (winner === 'none') return;
    const written = sample(key, winner);
    if ('path' in spec) {
      // Relative paths: against the file's directory, or the working directory for flags and env.
      const base = {
        flag: dirs.cwd,
        env: dirs.cwd,
        project: dirs.repo,
        home: dirs.switchboardHome,
      }[winner];
      expect(setting.value).toBe(path.join(base, String(written)));
    } else {
      expect(setting.value).toEqual(written);
    }
  });

  it('with nothing set, every default', async () => {
    dirs = makeConfigDirs();
    const config = await loadConfig({ env: {}, cwd: dirs.cwd, homeDir: dirs.homeDir });
    expect(config).toEqual({
      agent: { fallbackModels: [], models: [], providers: {}, env: {} },
      home: dirs.switchboardHome,
      stores: {
        sessionsDb: path.join(dirs.switchboardHome, 'sessions.db'),
        eventsDb: path.join(dirs.switchboardHome, 'events.db'),
        jsonlDir: path.join(dirs.switchboardHome, 'events'),
        attachmentsDir: path.join(dirs.switchboardHome, 'attachments'),
      },
      tracing: {},
      server: { host: '127.0.0.1', port: 8420, allowedHosts: [], allowedOrigins: [] },
      voice: {
        mode: 'off',
        phrases: [],
        stt: { provider: 'offline' },
        tts: { provider: 'offline' },
      },
      settings: expect.any(Object),
      files: [],
      warnings: [],
    });
  });

  it('maps every source into the shapes createAgent, the tracing plugin and the server take', async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.repo, 'switchboard.config.json'), {
      model: 'openai-compatible:local',
      fallbackModels: ['anthropic:claude-haiku-4-5', 'ollama:llama3'],
      models: ['openai-compatible:large'],
      baseUrl: 'http://127.0.0.1:8080/v1',
      providers: { ollama: { baseUrl: 'http://gpu.lan:11434/v1' } },
      server: { port: 9000, allowedHosts: ['chat.example.com'] },
    });
    dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      apiKey: 'sk-local-0123456789abcd',
      providers: { anthropic: { apiKey: 'sk-ant-home-0123456789' } },
      tracing: { langfuse: { publicKey: 'pk-lf-home', secretKey: 'sk-lf-home-0123456789' } },
    });
    const env = {
      OPENAI_API_KEY: 'sk-env-0123456789abcdef',
      LANGFUSE_HOST: 'http://lf.lan',
      SWITCHBOARD_ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443/',
      PORT: '8000', // below --port
    };
    const config = await loadConfig({
      flags: { port: '9100', token: 'tok-0123456789abcdef' },
      env,
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(config.agent).toEqual({
      model: 'openai-compatible:local',
      fallbackModels: ['anthropic:claude-haiku-4-5', 'ollama:llama3'],
      models: ['openai-compatible:large'],
      providers: {
        openai: { apiKey: 'sk-env-0123456789abcdef' },
        anthropic: { apiKey: 'sk-ant-home-0123456789' },
        openaiCompatible: {
          apiKey: 'sk-local-0123456789abcd',
          baseURL: 'http://127.0.0.1:8080/v1',
        },
        ollama: { baseURL: 'http://gpu.lan:11434/v1' },
      },
      env,
    });
    expect(config.tracing).toEqual({
      langfuse: {
        publicKey: 'pk-lf-home',
        secretKey: 'sk-lf-home-0123456789',
        baseUrl: 'http://lf.lan',
      },
    });
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 9100,
      token: 'tok-0123456789abcdef',
      allowedHosts: ['chat.example.com'],
      allowedOrigins: ['https://a.example', 'https://b.example:8443'],
    });
    expect(config.files).toEqual([
      path.join(dirs.repo, 'switchboard.config.json'),
      path.join(dirs.switchboardHome, 'switchboard.config.json'),
    ]);
  });

  it('LANGFUSE_BASE_URL wins over LANGFUSE_HOST; either beats the files', async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.repo, 'switchboard.config.json'), {
      tracing: { langfuse: { baseUrl: 'http://file.test' } },
    });
    const both = await loadConfig({
      env: { LANGFUSE_BASE_URL: 'http://base-url.test', LANGFUSE_HOST: 'http://host.test' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(both.settings['tracing.langfuse.baseUrl']).toEqual({
      value: 'http://base-url.test',
      source: { kind: 'env', name: 'LANGFUSE_BASE_URL' },
    });
    const hostOnly = await loadConfig({
      env: { LANGFUSE_HOST: 'http://host.test' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(hostOnly.settings['tracing.langfuse.baseUrl']).toEqual({
      value: 'http://host.test',
      source: { kind: 'env', name: 'LANGFUSE_HOST' },
    });
  });

  it('empty environment variables and undefined flags count as unset', async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.repo, 'switchboard.config.json'), { model: 'openai:from-file' });
    const config = await loadConfig({
      flags: { model: undefined },
      env: { SWITCHBOARD_MODEL: '' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(config.agent.model).toBe('openai:from-file');
  });

  it('a port flag may be a number', async () => {
    dirs = makeConfigDirs();
    const config = await loadConfig({
      flags: { port: 0 },
      env: {},
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(config.server.port).toBe(0);
    expect(config.settings['server.port'].source).toEqual({ kind: 'flag', name: '--port' });
  });
});
