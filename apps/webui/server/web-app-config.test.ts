import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from './test-helpers/web-app-process.js';
import { loadWebAppConfig } from './web-app-config.js';

/** A project directory (with `.git`, so the config search stops there) and an empty home. */
function project(dir: string, config?: object): { cwd: string; homeDir: string } {
  const cwd = path.join(dir, 'project');
  mkdirSync(path.join(cwd, '.git'), { recursive: true });
  if (config) writeFileSync(path.join(cwd, 'switchboard.config.json'), JSON.stringify(config));
  const homeDir = path.join(dir, 'user');
  mkdirSync(homeDir);
  return { cwd, homeDir };
}

describe('loadWebAppConfig: where the web app listens', () => {
  it('defaults to 127.0.0.1:8420 and SWITCHBOARD_HOME under ~', async () => {
    using dir = scratchDir();
    const where = project(dir.path);
    const loaded = await loadWebAppConfig({ env: {}, ...where });
    expect(loaded).toMatchObject({
      host: '127.0.0.1',
      port: 8420,
      hostFrom: 'default',
      portFrom: 'default',
    });
    expect(loaded.config.home).toBe(path.join(where.homeDir, '.switchboard'));
    expect(loaded.config.stores.sessionsDb).toBe(
      path.join(where.homeDir, '.switchboard', 'sessions.db'),
    );
    expect(loaded.config.agent.model).toBeUndefined();
  });

  it('SWITCHBOARD_PORT/HOST beat PORT/HOST, which beat the config file', async () => {
    using dir = scratchDir();
    const where = project(dir.path, { server: { port: 9001, host: '127.0.0.2' } });
    const fromFile = await loadWebAppConfig({ env: {}, ...where });
    expect(fromFile).toMatchObject({ host: '127.0.0.2', port: 9001 });
    expect(fromFile.portFrom).toMatch(/^file .*switchboard\.config\.json$/);

    const platform = await loadWebAppConfig({ env: { PORT: '3000', HOST: '::1' }, ...where });
    expect(platform).toMatchObject({
      host: '::1',
      port: 3000,
      hostFrom: 'env HOST',
      portFrom: 'env PORT',
    });

    const both = await loadWebAppConfig({
      env: { PORT: '3000', HOST: '::1', SWITCHBOARD_PORT: '4000', SWITCHBOARD_HOST: 'localhost' },
      ...where,
    });
    expect(both).toMatchObject({
      host: 'localhost',
      port: 4000,
      hostFrom: 'env SWITCHBOARD_HOST',
      portFrom: 'env SWITCHBOARD_PORT',
    });

    const empty = await loadWebAppConfig({ env: { PORT: '', SWITCHBOARD_PORT: '' }, ...where });
    expect(empty.port).toBe(9001);
    expect((await loadWebAppConfig({ env: { PORT: '0' }, ...where })).port).toBe(0);
  });

  it('a bad PORT is reported under its own name (CORE_CONFIG_INVALID)', async () => {
    using dir = scratchDir();
    const where = project(dir.path);
    await expect(loadWebAppConfig({ env: { PORT: 'eighty' }, ...where })).rejects.toMatchObject({
      code: 'CORE_CONFIG_INVALID',
      message: expect.stringContaining(
        'PORT: must be a port number from 0 to 65535 (got "eighty")',
      ),
    });
    await expect(loadWebAppConfig({ env: { PORT: '70000' }, ...where })).rejects.toMatchObject({
      code: 'CORE_CONFIG_INVALID',
    });
    // A bad SWITCHBOARD_PORT is the config loader's to report, by its name.
    await expect(
      loadWebAppConfig({ env: { SWITCHBOARD_PORT: 'x', PORT: '80' }, ...where }),
    ).rejects.toMatchObject({ message: expect.stringContaining('SWITCHBOARD_PORT') });
  });

  it('passes the model, base URL and key through to the agent options', async () => {
    using dir = scratchDir();
    const where = project(dir.path);
    const loaded = await loadWebAppConfig({
      env: {
        SWITCHBOARD_MODEL: 'openai-compatible:qwen',
        SWITCHBOARD_BASE_URL: 'http://127.0.0.1:1234/v1',
        SWITCHBOARD_API_KEY: 'sk-local-abc',
        SWITCHBOARD_HOME: path.join(dir.path, 'state'),
      },
      ...where,
    });
    expect(loaded.config.agent).toMatchObject({
      model: 'openai-compatible:qwen',
      providers: {
        openaiCompatible: { baseURL: 'http://127.0.0.1:1234/v1', apiKey: 'sk-local-abc' },
      },
    });
    expect(loaded.config.stores.eventsDb).toBe(path.join(dir.path, 'state', 'events.db'));
  });
});

describe('loadWebAppConfig: voice', () => {
  it('SWITCHBOARD_VOICE and SWITCHBOARD_VOICE_PHRASES come through the shared loader', async () => {
    using dir = scratchDir();
    const where = project(dir.path, { voice: { mode: 'cloud', phrases: ['from the file'] } });
    const loaded = await loadWebAppConfig({
      env: { SWITCHBOARD_VOICE: 'offline', SWITCHBOARD_VOICE_PHRASES: 'what is the weather|stop' },
      ...where,
    });
    expect(loaded.config.voice).toEqual({
      mode: 'offline',
      phrases: ['what is the weather', 'stop'],
      stt: { provider: 'offline' },
      tts: { provider: 'offline' },
    });
    await expect(
      loadWebAppConfig({ env: { SWITCHBOARD_VOICE: 'yes' }, ...where }),
    ).rejects.toMatchObject({
      code: 'CORE_CONFIG_INVALID',
      message: expect.stringContaining('SWITCHBOARD_VOICE: must be one of off, offline, cloud'),
    });
  });
});
