import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from './config-keys.js';
import { describeConfig } from './describe-config.js';
import { loadConfig } from './load-config.js';
import { makeConfigDirs, type ConfigDirs } from './test-helpers/config-dirs.js';

let dirs: ConfigDirs;
afterEach(() => dirs?.[Symbol.dispose]());

describe('describeConfig: the doctor report', () => {
  it('reports SWITCHBOARD_DATABASE_URL with its source, password never shown', async () => {
    dirs = makeConfigDirs();
    const url = 'postgres://app:hunter2-very-secret@db.example:5432/switchboard';
    const config = await loadConfig({
      env: { SWITCHBOARD_DATABASE_URL: url },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(config.stores.databaseUrl).toBe(url);
    const row = describeConfig(config).find((entry) => entry.key === 'stores.databaseUrl');
    expect(row?.source).toBe('env SWITCHBOARD_DATABASE_URL');
    expect(row?.value).toBeDefined();
    expect(row?.value).not.toContain('hunter2');
    await expect(
      loadConfig({
        env: { SWITCHBOARD_DATABASE_URL: 'mysql://x' },
        cwd: dirs.cwd,
        homeDir: dirs.homeDir,
      }),
    ).rejects.toMatchObject({
      code: 'CORE_CONFIG_INVALID',
      message: expect.not.stringContaining('mysql://x') as string,
    });
  });

  it('lists every key with its value and source, secrets redacted', async () => {
    dirs = makeConfigDirs();
    const project = dirs.write(path.join(dirs.repo, 'switchboard.config.json'), {
      model: 'openai:gpt-4o-mini',
      fallbackModels: ['anthropic:claude-haiku-4-5', 'ollama:llama3'],
    });
    const home = dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      tracing: { langfuse: { secretKey: 'sk-lf-0123456789abcdef' } },
    });
    const config = await loadConfig({
      flags: { port: '8080', token: 'a-very-long-server-token-1234' },
      env: {
        OPENAI_API_KEY: 'sk-proj-abcdefghijklmnop1234',
        LANGFUSE_PUBLIC_KEY: 'pk-lf-public',
      },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    const rows = describeConfig(config);
    expect(rows.map((row) => row.key)).toEqual(CONFIG_KEYS.map((spec) => spec.key));
    const byKey = Object.fromEntries(rows.map((row) => [row.key, row]));
    expect(byKey['model']).toEqual({
      key: 'model',
      value: 'openai:gpt-4o-mini',
      source: `file ${project}`,
    });
    expect(byKey['fallbackModels']!.value).toBe('anthropic:claude-haiku-4-5, ollama:llama3');
    expect(byKey['providers.openai.apiKey']).toEqual({
      key: 'providers.openai.apiKey',
      value: 'sk-proj-…1234',
      source: 'env OPENAI_API_KEY',
    });
    expect(byKey['tracing.langfuse.secretKey']).toEqual({
      key: 'tracing.langfuse.secretKey',
      value: 'sk-lf-…cdef',
      source: `file ${home}`,
    });
    // Langfuse public keys are public (browsers send them); shown whole.
    expect(byKey['tracing.langfuse.publicKey']!.value).toBe('pk-lf-public');
    expect(byKey['server.token']).toEqual({
      key: 'server.token',
      value: '…1234',
      source: 'flag --token',
    });
    expect(byKey['server.port']).toEqual({
      key: 'server.port',
      value: '8080',
      source: 'flag --port',
    });
    expect(byKey['server.host']).toEqual({
      key: 'server.host',
      value: '127.0.0.1',
      source: 'default',
    });
    expect(byKey['apiKey']).toEqual({ key: 'apiKey', value: undefined, source: 'unset' });
    const printed = JSON.stringify(rows);
    for (const secret of ['abcdefghijklmnop', '0123456789abcdef', 'very-long-server']) {
      expect(printed).not.toContain(secret);
    }
  });
});

describe('warnings', () => {
  it('a secret in a project file, half a Langfuse key pair, an exposed server without a token', async () => {
    dirs = makeConfigDirs();
    const project = dirs.write(path.join(dirs.repo, 'switchboard.config.json'), {
      apiKey: 'sk-committed-0123456789',
      server: { host: '0.0.0.0' },
    });
    dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      providers: { openai: { apiKey: 'sk-private-0123456789' } },
    });
    const config = await loadConfig({
      env: { LANGFUSE_PUBLIC_KEY: 'pk-lf-1' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(config.tracing).toEqual({});
    expect(config.warnings).toEqual([
      `${project}: "apiKey" is a secret in a project file, which is often committed; move it to SWITCHBOARD_API_KEY or the home config file.`,
      'Langfuse tracing is off: only one key is set (env LANGFUSE_PUBLIC_KEY); set LANGFUSE_SECRET_KEY or "tracing.langfuse.secretKey" too.',
      'server.host "0.0.0.0" accepts connections from other machines and no server.token is set; set SWITCHBOARD_TOKEN.',
    ]);
  });

  it('none for a loopback host, a secret in the home file, or both Langfuse keys', async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      apiKey: 'sk-private-0123456789',
      server: { host: 'localhost' },
    });
    const config = await loadConfig({
      env: { LANGFUSE_PUBLIC_KEY: 'pk-lf-1', LANGFUSE_SECRET_KEY: 'sk-lf-1' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(config.warnings).toEqual([]);
    expect(config.tracing).toEqual({ langfuse: { publicKey: 'pk-lf-1', secretKey: 'sk-lf-1' } });
  });
});
