import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { loadConfig, type LoadConfigInput } from './load-config.js';
import { makeConfigDirs, type ConfigDirs } from './test-helpers/config-dirs.js';

let dirs: ConfigDirs;
/** Every CORE_CONFIG_INVALID message ends with this hint (AgentCoreError appends it). */
const HINT = 'Fix the values named above; the @switchboard/agent-core README lists every key.';
afterEach(() => dirs?.[Symbol.dispose]());

/** Loads with a project file holding `project` (JSON text or a value), and returns what it throws. */
async function failure(
  project: unknown,
  input: Partial<LoadConfigInput> = {},
): Promise<{ error: AgentCoreError; file: string }> {
  dirs = makeConfigDirs();
  const file = dirs.write(path.join(dirs.repo, 'switchboard.config.json'), project);
  const error = await loadConfig({
    env: {},
    cwd: dirs.cwd,
    homeDir: dirs.homeDir,
    ...input,
  }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AgentCoreError))
    throw new Error(`expected an AgentCoreError, got ${String(error)}`);
  return { error, file };
}

describe('CORE_CONFIG_INVALID names the key and where it came from', () => {
  it('a wrong value in a file', async () => {
    const { error, file } = await failure({ model: 42 });
    expect(error.code).toBe('CORE_CONFIG_INVALID');
    expect(error.message).toBe(
      `${file}: "model" must be a "provider:model" string like "openai:gpt-4o-mini" (providers: openai, anthropic, openai-compatible, ollama) (got 42). ${HINT}`,
    );
    expect(error.details).toMatchObject({
      issues: [{ source: file, key: 'model', problem: expect.stringContaining('"model"') }],
    });
  });

  it('a model string with an unknown provider', async () => {
    const { error, file } = await failure({ model: 'gpt-4o' });
    expect(error.message).toContain(`${file}: "model" must be a "provider:model" string`);
    expect(error.message).toContain('(got "gpt-4o")');
  });

  it.each([
    ['modle', { modle: 'openai:x' }, 'unknown key "modle"; did you mean "model"?'],
    ['baseURL', { baseURL: 'http://x.test' }, 'unknown key "baseURL"; did you mean "baseUrl"?'],
    [
      'server.prot',
      { server: { prot: 1 } },
      'unknown key "server.prot"; did you mean "server.port"?',
    ],
    ['port', { port: 1 }, 'unknown key "port"; did you mean "server.port"?'],
    ['provider', { provider: {} }, 'unknown key "provider"; did you mean "providers"?'],
    [
      'providers.openAI.apiKey',
      { providers: { openAI: {} } },
      'unknown key "providers.openAI"; did you mean "providers.openai"?',
    ],
    ['colour', { colour: 'red' }, 'unknown key "colour".'],
  ])('an unknown key (%s) suggests the closest known one', async (_name, project, expected) => {
    const { error, file } = await failure(project);
    expect(error.code).toBe('CORE_CONFIG_INVALID');
    expect(error.message).toBe(
      `${file}: ${expected.endsWith('.') ? expected : `${expected}.`} ${HINT}`,
    );
  });

  it('a list element, a nested object and a non-object file', async () => {
    expect((await failure({ fallbackModels: ['openai:a', 7] })).error.message).toContain(
      '"fallbackModels[1]" must be a "provider:model" string like "openai:gpt-4o-mini"',
    );
    expect((await failure({ server: 5 })).error.message).toContain(
      '"server" must be an object with the keys "host", "port", "token", "allowedHosts", "allowedOrigins" (got a number)',
    );
    // A key typed where an object belongs is not repeated.
    const misplaced = await failure({ providers: { openai: 'sk-proj-abcdefghijklmnop' } });
    expect(misplaced.error.message).toContain(
      '"providers.openai" must be an object with the keys "apiKey", "baseUrl" (got a string)',
    );
    expect(misplaced.error.message).not.toContain('abcdefghijklmnop');
    const { error, file } = await failure([]);
    expect(error.message).toBe(
      `${file}: must be a JSON object like {"model": "openai:gpt-4o-mini"}. ${HINT}`,
    );
  });

  it('never repeats a secret it refuses', async () => {
    const { error } = await failure({ apiKey: '' });
    expect(error.message).toMatch(/"apiKey" must be a non-empty string\. Fix the values/);
    const fromEnv = await failure({}, { env: { SWITCHBOARD_TOKEN: ' ' }, flags: { apiKey: '' } });
    expect(fromEnv.error.message).not.toContain('got');
  });

  it('a wrong environment variable or flag, named as typed', async () => {
    const env = await failure({}, { env: { SWITCHBOARD_PORT: 'eighty' } });
    expect(env.error.message).toBe(
      `SWITCHBOARD_PORT: must be a port number from 0 to 65535 (got "eighty"). ${HINT}`,
    );
    const flag = await failure({}, { flags: { port: 70_000 } });
    expect(flag.error.message).toBe(
      `--port: must be a port number from 0 to 65535 (got "70000"). ${HINT}`,
    );
    const url = await failure({}, { flags: { baseUrl: 'localhost:8080' } });
    expect(url.error.message).toBe(
      `--base-url: must be an http(s) URL like "http://127.0.0.1:8080/v1" (got "localhost:8080"). ${HINT}`,
    );
  });

  it('every problem of every source at once', async () => {
    dirs = makeConfigDirs();
    const project = dirs.write(path.join(dirs.repo, 'switchboard.config.json'), {
      server: { port: -1 },
      modle: 'x',
    });
    const home = dirs.write(path.join(dirs.switchboardHome, 'switchboard.config.json'), {
      home: '/elsewhere',
      tracing: { langfuse: { baseUrl: 'ftp://x' } },
    });
    const error = await loadConfig({
      env: { SWITCHBOARD_MODEL: 'nope' },
      cwd: dirs.cwd,
      homeDir: dirs.homeDir,
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AgentCoreError);
    const { message, details } = error as AgentCoreError;
    expect(message.split('\n')).toEqual([
      '5 problems in the configuration:',
      `- ${project}: "server.port" must be a port number from 0 to 65535 (got -1)`,
      `- ${project}: unknown key "modle"; did you mean "model"?`,
      `- ${home}: "tracing.langfuse.baseUrl" must be an http(s) URL like "https://cloud.langfuse.com" (got "ftp://x")`,
      `- ${home}: "home" cannot be set in the home config file (that file is found through it); set SWITCHBOARD_HOME or --home, or put "home" in the project's switchboard.config.json`,
      `- SWITCHBOARD_MODEL: must be a "provider:model" string like "openai:gpt-4o-mini" (providers: openai, anthropic, openai-compatible, ollama) (got "nope")`,
      HINT,
    ]);
    expect(details?.issues).toHaveLength(5);
  });
});

describe('CORE_CONFIG_SYNTAX points at the line and column', () => {
  it.each(
    (
      [
        [
          'a trailing comma',
          '{\n  "model": "openai:x",\n}\n',
          2,
          22,
          'trailing comma (JSON allows none before "}")',
        ],
        [
          'a missing comma',
          '{\n  "model": "openai:x"\n  "apiKey": "k"\n}',
          3,
          3,
          'unexpected "\\"", expected "," or "}"',
        ],
        [
          'a comment',
          '{\n  // the model\n  "model": "openai:x"\n}',
          2,
          3,
          'unexpected "/" (JSON has no comments), expected a "key" in double quotes',
        ],
        [
          'single quotes',
          "{ 'model': 1 }",
          1,
          3,
          `unexpected "'" (JSON strings use double quotes), expected a "key" in double quotes`,
        ],
        ['an empty file', '', 1, 1, 'unexpected end of file, expected a value'],
        ['a missing value', '{"model": }', 1, 11, 'unexpected "}", expected a value'],
      ] as const
    ).map(([name, text, line, column, reason]) => ({ name, text, line, column, reason })),
  )('$name', async ({ text, line, column, reason }) => {
    const { error, file } = await failure(text);
    expect(error.code).toBe('CORE_CONFIG_SYNTAX');
    expect(error.message).toBe(
      `${file}: not valid JSON at line ${line}, column ${column}: ${reason}. Fix the JSON (no comments, no trailing commas, keys in double quotes).`,
    );
    expect(error.details).toEqual({
      path: file,
      line,
      column,
      hint: 'Fix the JSON (no comments, no trailing commas, keys in double quotes).',
    });
  });

  it('a UTF-8 byte-order mark is not an error', async () => {
    dirs = makeConfigDirs();
    dirs.write(path.join(dirs.repo, 'switchboard.config.json'), '\uFEFF{"model": "openai:bom"}');
    const config = await loadConfig({ env: {}, cwd: dirs.cwd, homeDir: dirs.homeDir });
    expect(config.agent.model).toBe('openai:bom');
  });
});

describe('CORE_CONFIG_UNREADABLE', () => {
  it('a directory where the project file should be', async () => {
    dirs = makeConfigDirs();
    const file = path.join(dirs.cwd, 'switchboard.config.json');
    mkdirSync(file);
    const error = await loadConfig({ env: {}, cwd: dirs.cwd, homeDir: dirs.homeDir }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({
      code: 'CORE_CONFIG_UNREADABLE',
      message: `${file}: cannot be read (EISDIR). Make it a readable file, or remove it.`,
      hint: 'Make it a readable file, or remove it.',
    });
  });

  it('a file the process may not read (the home file)', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const home = path.join('/home/u', '.switchboard', 'switchboard.config.json');
    const error = await loadConfig({
      env: {},
      cwd: '/srv/app',
      homeDir: '/home/u',
      readFile: (file) =>
        Promise.reject(
          file === home ? denied : Object.assign(new Error('ENOENT'), { code: 'ENOENT' }),
        ),
    }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      code: 'CORE_CONFIG_UNREADABLE',
      message: `${home}: cannot be read (EACCES). Make it a readable file, or remove it.`,
      cause: denied,
    });
  });
});

describe('CORE_INVALID_OPTIONS for the loader input itself', () => {
  it('an env whose values are not strings, or an unknown flag', async () => {
    await expect(loadConfig({ env: { PORT: 8080 } as never })).rejects.toMatchObject({
      code: 'CORE_INVALID_OPTIONS',
      message: expect.stringContaining('env: expected an environment such as process.env'),
    });
    await expect(loadConfig({ flags: { modle: 'x' } as never })).rejects.toMatchObject({
      code: 'CORE_INVALID_OPTIONS',
      message: expect.stringContaining('flags'),
    });
  });
});
