import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from './load-config.js';
import { makeConfigDirs, type ConfigDirs } from './test-helpers/config-dirs.js';

let dirs: ConfigDirs;
afterEach(() => {
  dirs?.[Symbol.dispose]();
  vi.unstubAllEnvs();
});

describe('finding switchboard.config.json (real files in a temp dir)', () => {
  it('the nearest file from cwd up wins, and the home file fills the gaps', async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.repo, 'switchboard.config.json'), { model: 'openai:repo' });
    const nearest = dirs.write(path.join(dirs.repo, 'packages', 'switchboard.config.json'), {
      model: 'openai:packages',
    });
    const home = dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      model: 'openai:home',
      server: { port: 4000 },
    });
    const config = await loadConfig({ env: {}, cwd: dirs.cwd, homeDir: dirs.homeDir });
    expect(config.agent.model).toBe('openai:packages');
    expect(config.server.port).toBe(4000);
    expect(config.files).toEqual([nearest, home]);
    expect(config.settings['server.port'].source).toEqual({ kind: 'file', path: home });
  });

  it('stops at the git root: a file above the repository is not the project file', async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.root, 'work', 'switchboard.config.json'), { model: 'openai:above' });
    const config = await loadConfig({ env: {}, cwd: dirs.cwd, homeDir: dirs.homeDir });
    expect(config.agent.model).toBeUndefined();
    expect(config.files).toEqual([]);
  });

  it('a .git file (a worktree) marks the root too', async () => {
    dirs = makeConfigDirs();
    const worktree = path.join(dirs.root, 'work', 'tree');
    mkdirSync(path.join(worktree, 'src'), { recursive: true });
    writeFileSync(path.join(worktree, '.git'), 'gitdir: ../repo/.git/worktrees/tree\n');
    dirs.write(path.join(dirs.root, 'work', 'switchboard.config.json'), { model: 'openai:above' });
    const config = await loadConfig({
      env: {},
      cwd: path.join(worktree, 'src'),
      homeDir: dirs.homeDir,
    });
    expect(config.files).toEqual([]);
  });

  it('outside a repository the search goes up to the filesystem root', async () => {
    dirs = makeConfigDirs();
    const file = dirs.write(path.join(dirs.root, 'switchboard.config.json'), {
      model: 'openai:top',
    });
    const deep = path.join(dirs.root, 'a', 'b', 'c');
    mkdirSync(deep, { recursive: true });
    const config = await loadConfig({ env: {}, cwd: deep, homeDir: dirs.homeDir });
    expect(config.agent.model).toBe('openai:top');
    expect(config.files).toEqual([file]);
  });

  it('SWITCHBOARD_HOME (or "home" in the project file) moves the home file', async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      model: 'openai:default-home',
    });
    const other = dirs.write(path.join(dirs.root, 'other-home', 'switchboard.config.json'), {
      model: 'openai:other-home',
    });
    const fromEnv = await loadConfig({
      env: { SWITCHBOARD_HOME: path.join(dirs.root, 'other-home') },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(fromEnv.agent.model).toBe('openai:other-home');
    expect(fromEnv.files).toEqual([other]);

    dirs.write(path.join(dirs.repo, 'switchboard.config.json'), { home: '../../other-home' });
    const fromProject = await loadConfig({ env: {}, cwd: dirs.cwd, homeDir: dirs.homeDir });
    expect(fromProject.home).toBe(path.join(dirs.root, 'other-home'));
    expect(fromProject.agent.model).toBe('openai:other-home');
  });

  it('reads a file once when the project file is the home file (cwd inside SWITCHBOARD_HOME)', async () => {
    dirs = makeConfigDirs();
    const file = dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      model: 'openai:home',
    });
    const config = await loadConfig({ env: {}, cwd: dirs.switchboardHome, homeDir: dirs.homeDir });
    expect(config.files).toEqual([file]);
  });
});

describe('paths', () => {
  it("relative paths in a file are resolved against that file's directory", async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.repo, 'switchboard.config.json'), {
      stores: { sessionsDb: 'state/sessions.db', jsonlDir: '../logs' },
    });
    dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      stores: { eventsDb: 'events/all.db' },
    });
    const config = await loadConfig({ env: {}, cwd: dirs.cwd, homeDir: dirs.homeDir });
    expect(config.stores).toEqual({
      sessionsDb: path.join(dirs.repo, 'state', 'sessions.db'),
      eventsDb: path.join(dirs.switchboardHome, 'events', 'all.db'),
      jsonlDir: path.join(dirs.root, 'work', 'logs'),
      attachmentsDir: path.join(dirs.switchboardHome, 'attachments'),
    });
  });

  it('~ is the home directory, in files, variables and flags', async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.repo, 'switchboard.config.json'), {
      stores: { sessionsDb: '~/db/sessions.db', jsonlDir: '~', attachmentsDir: '~/uploads' },
    });
    const config = await loadConfig({
      flags: { home: '~/sb' },
      env: { SWITCHBOARD_HOME: '/ignored' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(config.home).toBe(path.join(dirs.homeDir, 'sb'));
    expect(config.stores).toEqual({
      sessionsDb: path.join(dirs.homeDir, 'db', 'sessions.db'),
      eventsDb: path.join(dirs.homeDir, 'sb', 'events.db'),
      jsonlDir: dirs.homeDir,
      attachmentsDir: path.join(dirs.homeDir, 'uploads'),
    });
    const fromEnv = await loadConfig({
      env: { SWITCHBOARD_HOME: '~/from-env' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(fromEnv.home).toBe(path.join(dirs.homeDir, 'from-env'));
  });

  it('store defaults follow home; a relative SWITCHBOARD_HOME is relative to cwd', async () => {
    dirs = makeConfigDirs();
    const config = await loadConfig({
      env: { SWITCHBOARD_HOME: '.sb' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    });
    expect(config.home).toBe(path.join(dirs.cwd, '.sb'));
    expect(config.stores.sessionsDb).toBe(path.join(dirs.cwd, '.sb', 'sessions.db'));
    expect(config.settings['stores.sessionsDb'].source).toEqual({ kind: 'default' });
    expect(config.stores.attachmentsDir).toBe(path.join(dirs.cwd, '.sb', 'attachments'));
    expect(config.settings['stores.attachmentsDir'].source).toEqual({ kind: 'default' });
  });
});

describe('defaults and injection', () => {
  it('reads process.env, process.cwd() and os.homedir() when nothing is injected', async () => {
    dirs = makeConfigDirs();
    vi.stubEnv('HOME', dirs.homeDir); // os.homedir() reads HOME on POSIX
    vi.stubEnv('SWITCHBOARD_MODEL', 'anthropic:from-process-env');
    dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      server: { port: 4100 },
    });
    const config = await loadConfig();
    expect(config.agent.model).toBe('anthropic:from-process-env');
    expect(config.home).toBe(dirs.switchboardHome);
    expect(config.server.port).toBe(4100);
    // The package directory is inside this repository, which has no project config file.
    expect(config.files).toEqual([path.join(dirs.switchboardHome, 'switchboard.config.json')]);
  });

  it('accepts process.env itself', async () => {
    dirs = makeConfigDirs();
    vi.stubEnv('SWITCHBOARD_PORT', '4200');
    const config = await loadConfig({ env: process.env, cwd: dirs.cwd, homeDir: dirs.homeDir });
    expect(config.server.port).toBe(4200);
    expect(config.agent.env.SWITCHBOARD_PORT).toBe('4200');
  });

  it('an injected readFile is the only file access, and nothing is created', async () => {
    const files = new Map([
      [
        '/repo/switchboard.config.json',
        '{"model": "ollama:llama3", "stores": {"jsonlDir": "logs"}}',
      ],
    ]);
    const read: string[] = [];
    const config = await loadConfig({
      env: {},
      cwd: '/repo/src',
      homeDir: '/nobody',
      readFile: (file) => {
        read.push(file);
        const text = files.get(file);
        return text === undefined
          ? Promise.reject(Object.assign(new Error(`ENOENT ${file}`), { code: 'ENOENT' }))
          : Promise.resolve(text);
      },
    });
    expect(config.agent.model).toBe('ollama:llama3');
    expect(config.stores.jsonlDir).toBe('/repo/logs');
    expect(read).toEqual([
      '/repo/src/switchboard.config.json',
      '/repo/src/.git',
      '/repo/switchboard.config.json',
      '/nobody/.switchboard/switchboard.config.json',
    ]);
  });
});
