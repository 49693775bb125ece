import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startModelServer } from '@switchboard/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../agent/agent.js';
import { CONFIG_KEYS, flagName } from './config-keys.js';
import { loadConfig } from './load-config.js';
import { makeConfigDirs, type ConfigDirs } from './test-helpers/config-dirs.js';

let dirs: ConfigDirs;
afterEach(() => dirs?.[Symbol.dispose]());

describe('the loaded configuration drives a real agent', () => {
  it('createAgent({ ...config.agent }) calls the configured server with the configured key', async () => {
    await using server = await startModelServer({
      script: [{ text: 'configured' }],
      apiKey: 'sk-home-0123456789abcdef',
    });
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.repo, 'switchboard.config.json'), {
      baseUrl: server.baseUrl,
      models: ['openai-compatible:large'],
    });
    dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      apiKey: 'sk-home-0123456789abcdef',
    });
    const config = await loadConfig({
      flags: { model: 'openai-compatible:from-flag' },
      // SWITCHBOARD_BASE_URL would win over the project file, so it must not leak in here.
      env: {},
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    const agent = createAgent({ ...config.agent });
    try {
      expect(agent.models).toEqual(['openai-compatible:from-flag', 'openai-compatible:large']);
      const session = await agent.createSession();
      const result = await session.run('hello').result;
      expect(result.stopReason).toBe('completed');
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.body).toMatchObject({ model: 'from-flag' });
    } finally {
      await agent.close();
    }
  });
});

describe('the README documents every key', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'));

  it.each(CONFIG_KEYS.map((spec) => [spec.key, spec] as const))('%s', (key, spec) => {
    const row = section.split('\n').find((line) => line.startsWith(`| \`${key}\``));
    expect(row, `no row for ${key}`).toBeDefined();
    if ('flag' in spec) expect(row).toContain(`\`${flagName(spec.flag)}\``);
    for (const variable of spec.env) expect(row).toContain(`\`${variable}\``);
    if ('default' in spec) expect(row).toContain(`\`${spec.default}\``);
  });
});
