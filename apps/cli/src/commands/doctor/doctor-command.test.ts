import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  startLangfuseReceiver,
  startModelServer,
  startPostgresCluster,
  type ModelServer,
  type PostgresCluster,
} from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../test-helpers/cli-process.js';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({
    script: () => ({ text: 'OK', usage: { inputTokens: 3, outputTokens: 1 } }),
    apiKey: 'sk-doctor-0123456789abcdef',
  });
});
afterAll(() => server.close());

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('switchboard doctor (built binary)', () => {
  it('reports every value with its source, masks keys, and passes when everything works', async () => {
    await using langfuse = await startLangfuseReceiver({
      publicKey: 'pk-lf-doctor',
      secretKey: 'sk-lf-doctor-0123456789',
    });
    const home = tempDir();
    const result = await runCli(['doctor'], {
      cwd: home,
      env: {
        SWITCHBOARD_HOME: home,
        SWITCHBOARD_MODEL: 'openai-compatible:test-model',
        SWITCHBOARD_BASE_URL: server.baseUrl,
        SWITCHBOARD_API_KEY: 'sk-doctor-0123456789abcdef',
        LANGFUSE_PUBLIC_KEY: 'pk-lf-doctor',
        LANGFUSE_SECRET_KEY: 'sk-lf-doctor-0123456789',
        LANGFUSE_BASE_URL: langfuse.baseUrl,
      },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ {2}model +openai-compatible:test-model +env SWITCHBOARD_MODEL$/m,
    );
    expect(result.stdout).toMatch(/^ {2}home +.+ +env SWITCHBOARD_HOME$/m);
    expect(result.stdout).toMatch(/^ {2}server\.port +8420 +default$/m);
    expect(result.stdout).toMatch(/^ {2}apiKey +sk-…cdef +env SWITCHBOARD_API_KEY$/m);
    expect(result.stdout).not.toContain('sk-doctor-0123456789abcdef');
    expect(result.stdout).not.toContain('sk-lf-doctor-0123456789');
    expect(result.stdout).toMatch(
      /✓ key: openai-compatible:test-model: SWITCHBOARD_API_KEY sk-…cdef/,
    );
    expect(result.stdout).toMatch(
      /✓ model reachable: openai-compatible:test-model answered in \d+ ms/,
    );
    expect(result.stdout).toContain(`✓ data directory: ${home} is writable`);
    expect(result.stdout).toMatch(/✓ SQLite: .*sessions\.db \(0 sessions\)/);
    expect(result.stdout).toContain(`✓ Langfuse: ${langfuse.baseUrl} accepts the keys`);
    expect(result.stdout).toContain('Everything needed works.');
    expect(langfuse.requests.map((request) => request.status)).toEqual([200]);
  });

  it('exits 1 with the fix when the model’s key is missing', async () => {
    const home = tempDir();
    const result = await runCli(['doctor'], {
      cwd: home,
      env: {
        SWITCHBOARD_HOME: home,
        SWITCHBOARD_MODEL: 'openai:gpt-test',
        OPENAI_BASE_URL: server.baseUrl,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ key: openai:gpt-test needs an API key and none is set');
    expect(result.stdout).toContain('fix: Set OPENAI_API_KEY, or "providers.openai.apiKey"');
    expect(result.stdout).toContain('1 problem(s).');
    expect(result.stdout).toContain('– Langfuse: tracing is off');
  });

  it('exits 1 with the fix when the model is unreachable or rejects the key', async () => {
    const home = tempDir();
    const env = { SWITCHBOARD_HOME: home, SWITCHBOARD_MODEL: 'openai-compatible:test-model' };
    const down = await runCli(['doctor'], {
      cwd: home,
      env: { ...env, SWITCHBOARD_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1` },
    });
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(
      /✗ model reachable: openai-compatible:test-model: CORE_PROVIDER_\w+: /,
    );
    expect(down.stdout).toMatch(/ {4}fix: \S/);
    const rejected = await runCli(['doctor'], {
      cwd: home,
      env: {
        ...env,
        SWITCHBOARD_BASE_URL: server.baseUrl,
        SWITCHBOARD_API_KEY: 'sk-wrong-0123456789abcdef',
      },
    });
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(/✗ model reachable: .*CORE_PROVIDER_AUTH/);
    expect(rejected.stdout).not.toContain('sk-wrong-0123456789abcdef');
  });

  it('exits 1 on a bad configuration and on Langfuse keys it rejects', async () => {
    const home = tempDir();
    writeFileSync(path.join(home, 'switchboard.config.json'), '{ "model": "openai:x", }');
    const syntax = await runCli(['doctor'], { cwd: home, env: { SWITCHBOARD_HOME: home } });
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toMatch(/✗ configuration: CORE_CONFIG_SYNTAX: /);
    await using langfuse = await startLangfuseReceiver({ publicKey: 'pk', secretKey: 'sk-right' });
    const other = tempDir();
    const keys = await runCli(['doctor', '--json'], {
      cwd: other,
      env: {
        SWITCHBOARD_HOME: other,
        SWITCHBOARD_MODEL: 'ollama:llama3',
        OLLAMA_BASE_URL: server.baseUrl,
        LANGFUSE_PUBLIC_KEY: 'pk',
        LANGFUSE_SECRET_KEY: 'sk-wrong',
        LANGFUSE_BASE_URL: langfuse.baseUrl,
      },
    });
    expect(keys.code).toBe(1);
    const report = JSON.parse(keys.stdout) as {
      checks: { name: string; status: string; fix?: string }[];
    };
    expect(report.checks.find((check) => check.name === 'Langfuse')).toMatchObject({
      status: 'problem',
      fix: expect.stringContaining('LANGFUSE_SECRET_KEY'),
    });
  });
});

describe('switchboard doctor: PostgreSQL, voice and Chromium when relevant (built binary)', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 120_000);
  afterAll(() => cluster?.[Symbol.asyncDispose]());

  const base = (home: string) => ({
    SWITCHBOARD_HOME: home,
    SWITCHBOARD_MODEL: 'openai-compatible:test-model',
    SWITCHBOARD_BASE_URL: server.baseUrl,
    SWITCHBOARD_API_KEY: 'sk-doctor-0123456789abcdef',
  });

  it('a reachable PostgreSQL: its schema state (migrations pending, nothing migrated), never the password', async () => {
    const home = tempDir();
    const url = new URL(cluster.url);
    url.password = 'pg-secret-0123456789';
    const result = await runCli(['doctor'], {
      cwd: home,
      env: { ...base(home), SWITCHBOARD_DATABASE_URL: url.toString() },
    });
    expect(result.stdout).toMatch(
      new RegExp(
        `✓ PostgreSQL: postgres://postgres@127\\.0\\.0\\.1:${cluster.port}/postgres reachable; schema v0, \\d+ migration\\(s\\) pending`,
      ),
    );
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('pg-secret-0123456789');
    // The voice engines of this machine (voice-session is installed here) and Chromium, as information.
    expect(result.stdout).toMatch(/✓ voice: espeak-ng: eSpeak NG/);
    expect(result.stdout).toContain('✓ voice: pocketsphinx: libpocketsphinx.so.3 loads');
    expect(result.stdout).toMatch(/✓ voice: Silero VAD: .*\.onnx/);
    expect(result.stdout).toMatch(/– Chromium: .*only the web app's browser tests use it/);
  });

  it('an unreachable PostgreSQL exits 1 with the fix and without the password', async () => {
    const home = tempDir();
    const url = `postgres://someone:pg-secret-0123456789@127.0.0.1:${await closedPort()}/switchboard`;
    const result = await runCli(['doctor'], {
      cwd: home,
      env: { ...base(home), SWITCHBOARD_DATABASE_URL: url },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /✗ PostgreSQL: postgres:\/\/someone@127\.0\.0\.1:\d+\/switchboard: PG_CONNECTION_LOST: /,
    );
    expect(result.stdout).toContain('fix: Start PostgreSQL or fix the host and port');
    expect(result.stdout + result.stderr).not.toContain('pg-secret-0123456789');
  });

  it('a CHROMIUM_PATH that does not run is a problem; without one Chromium is only information', async () => {
    const home = tempDir();
    const result = await runCli(['doctor', '--json'], {
      cwd: home,
      env: { ...base(home), CHROMIUM_PATH: path.join(home, 'no-chromium') },
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      checks: { name: string; status: string; fix?: string }[];
    };
    expect(report.checks.find((check) => check.name === 'Chromium')).toMatchObject({
      status: 'problem',
      fix: expect.stringContaining('CHROMIUM_PATH'),
    });
    expect(report.checks.filter((check) => check.status === 'problem')).toHaveLength(1);
  });
});
