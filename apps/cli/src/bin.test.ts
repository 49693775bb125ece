import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fixturePath } from '@switchboard/events/fixtures';
import { startLangfuseReceiver } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';

// The built binary, as users run it (the `test` target builds it first).
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const run = promisify(execFile);

describe('the built switchboard binary: trace push', () => {
  it('reads LANGFUSE_* from the real process environment', async () => {
    await using langfuse = await startLangfuseReceiver({
      publicKey: 'pk-bin',
      secretKey: 'sk-bin',
    });
    const { stdout } = await run(
      process.execPath,
      [bin, 'trace', 'push', fixturePath('approval'), fixturePath('plain-chat')],
      {
        env: {
          ...process.env,
          LANGFUSE_PUBLIC_KEY: 'pk-bin',
          LANGFUSE_SECRET_KEY: 'sk-bin',
          LANGFUSE_BASE_URL: langfuse.baseUrl,
        },
      },
    );
    expect(stdout).toMatch(
      /^Pushed 3 turn\(s\) from 2 session\(s\) \(\d+ events\) to Langfuse\.\n$/,
    );
    expect(langfuse.requests.every((request) => request.status === 200)).toBe(true);
    const roots = langfuse
      .spans()
      .filter((span) => span.attributes['langfuse.observation.type'] === 'agent')
      .map((span) => span.name);
    expect(roots).toHaveLength(3);
    expect(roots).toEqual(expect.arrayContaining(['ops — Turn 1', 'ops — Turn 2']));
  });

  it('exits 1 with the stable code and its hint when the environment has no keys', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SWITCHBOARD_HOME: '/nonexistent-switchboard-home',
    };
    delete env.LANGFUSE_PUBLIC_KEY;
    delete env.LANGFUSE_SECRET_KEY;
    const failure = await run(process.execPath, [bin, 'trace', 'push', fixturePath('approval')], {
      env,
    }).then(
      () => undefined,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^switchboard: TRACING_NO_CREDENTIALS: /);
  });
});
