import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturePath } from '@switchboard/events/fixtures';
import { startLangfuseReceiver } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { recordingIo } from '../test-helpers/recording-io.js';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'switchboard-trace-'));

describe('switchboard trace push', () => {
  it('sends the traces of an event log to Langfuse, keys from the environment', async () => {
    await using langfuse = await startLangfuseReceiver({
      publicKey: 'pk-cli',
      secretKey: 'sk-cli',
    });
    const home = tempDir();
    const io = recordingIo({
      env: { LANGFUSE_PUBLIC_KEY: 'pk-cli', LANGFUSE_SECRET_KEY: 'sk-cli', SWITCHBOARD_HOME: home },
      cwd: home,
    });
    const code = await main(
      [
        'node',
        'switchboard',
        'trace',
        'push',
        fixturePath('approval'),
        '--base-url',
        langfuse.baseUrl,
        '--tag',
        'replayed',
        '--tag',
        'cli',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toBe('Pushed 2 turn(s) from 1 session(s) (23 events) to Langfuse.\n');
    const roots = langfuse
      .spans()
      .filter((span) => span.attributes['langfuse.observation.type'] === 'agent');
    expect(roots.map((span) => span.name)).toEqual(['ops — Turn 1', 'ops — Turn 2']);
    expect(roots[0]!.attributes['langfuse.trace.tags']).toEqual(['replayed', 'cli', 'agent:ops']);
  });

  it('takes keys and URL from the home config file (the shared loader)', async () => {
    await using langfuse = await startLangfuseReceiver({
      publicKey: 'pk-file',
      secretKey: 'sk-file',
    });
    const home = tempDir();
    writeFileSync(
      path.join(home, 'switchboard.config.json'),
      JSON.stringify({
        tracing: {
          langfuse: { publicKey: 'pk-file', secretKey: 'sk-file', baseUrl: langfuse.baseUrl },
        },
      }),
    );
    const io = recordingIo({ env: {}, cwd: home });
    const code = await main(
      ['node', 'switchboard', '--home', home, 'trace', 'push', fixturePath('approval')],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(langfuse.spans().length).toBeGreaterThan(0);
  });

  it('exits 1 with the stable code when keys are missing or the file is unreadable', async () => {
    const home = tempDir();
    const noKeys = recordingIo({ env: { SWITCHBOARD_HOME: home }, cwd: home });
    expect(
      await main(['node', 'switchboard', 'trace', 'push', fixturePath('plain-chat')], noKeys),
    ).toBe(1);
    expect(noKeys.err()).toMatch(/^switchboard: TRACING_NO_CREDENTIALS: /);
    const missing = recordingIo({
      env: { LANGFUSE_PUBLIC_KEY: 'pk', LANGFUSE_SECRET_KEY: 'sk', SWITCHBOARD_HOME: home },
      cwd: home,
    });
    const code = await main(
      [
        'node',
        'switchboard',
        'trace',
        'push',
        '/no/such/events.jsonl',
        '--base-url',
        'http://127.0.0.1:9',
      ],
      missing,
    );
    expect(code).toBe(1);
    expect(missing.err()).toMatch(
      /^switchboard: TRACING_REPLAY_FAILED: Cannot replay \/no\/such\/events\.jsonl/,
    );
  });
});
