import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Output } from '../output/output.js';
import type { CommandContext } from '../program/command-context.js';
import { tempDir } from '../test-helpers/cli-process.js';
import { recordingIo } from '../test-helpers/recording-io.js';
import { loadCliConfig } from './load-cli-config.js';

function context(env: Record<string, string>, cwd: string, home?: string): CommandContext {
  const io = recordingIo({ env, cwd });
  return { io, output: new Output(io), globals: home === undefined ? {} : { home } };
}

describe('loadCliConfig (the shared loader)', () => {
  it('takes each value from a flag, else a variable, else the project file, else the home file', async () => {
    const project = tempDir();
    mkdirSync(path.join(project, '.git'));
    const home = path.join(project, 'state');
    mkdirSync(home);
    writeFileSync(
      path.join(project, 'switchboard.config.json'),
      JSON.stringify({ model: 'openai:from-project', baseUrl: 'http://project.example/v1' }),
    );
    writeFileSync(
      path.join(home, 'switchboard.config.json'),
      JSON.stringify({ model: 'openai:from-home', server: { port: 9000 } }),
    );
    const env = { SWITCHBOARD_HOME: home, SWITCHBOARD_BASE_URL: 'http://env.example/v1' };
    const fromFiles = await loadCliConfig(context(env, project));
    expect(fromFiles.agent.model).toBe('openai:from-project');
    expect(fromFiles.settings.baseUrl).toEqual({
      value: 'http://env.example/v1',
      source: { kind: 'env', name: 'SWITCHBOARD_BASE_URL' },
    });
    expect(fromFiles.server.port).toBe(9000);
    expect(fromFiles.stores.sessionsDb).toBe(path.join(home, 'sessions.db'));

    const fromFlags = await loadCliConfig(context(env, project), {
      model: 'anthropic:from-flag',
      baseUrl: 'http://flag.example/v1',
    });
    expect(fromFlags.settings.model.source).toEqual({ kind: 'flag', name: '--model' });
    expect(fromFlags.settings.baseUrl.value).toBe('http://flag.example/v1');
  });

  it('--home is the loader`s home flag and wins over SWITCHBOARD_HOME', async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, '.git'));
    const config = await loadCliConfig(context({ SWITCHBOARD_HOME: '/elsewhere' }, cwd, 'here'));
    expect(config.home).toBe(path.join(cwd, 'here'));
    expect(config.settings.home.source).toEqual({ kind: 'flag', name: '--home' });
    expect(config.stores.eventsDb).toBe(path.join(cwd, 'here', 'events.db'));
  });

  it('names the source of a bad value', async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, '.git'));
    await expect(loadCliConfig(context({ SWITCHBOARD_MODEL: 'gpt' }, cwd))).rejects.toMatchObject({
      code: 'CORE_CONFIG_INVALID',
      message: expect.stringContaining('SWITCHBOARD_MODEL'),
    });
  });
});
