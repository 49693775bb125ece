import { fixturePath } from '@switchboard/events/fixtures';
import { startLangfuseReceiver } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

function io(env: Record<string, string | undefined>) {
  let out = '';
  return { env, out: (text: string) => void (out += text), printed: () => out };
}

describe('switchboard trace push', () => {
  it('sends the traces of an event log to Langfuse, keys from the environment', async () => {
    await using langfuse = await startLangfuseReceiver({
      publicKey: 'pk-cli',
      secretKey: 'sk-cli',
    });
    const cli = io({ LANGFUSE_PUBLIC_KEY: 'pk-cli', LANGFUSE_SECRET_KEY: 'sk-cli' });
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
      ],
      cli,
    );
    expect(code).toBe(0);
    expect(cli.printed()).toBe('Pushed 2 turn(s) from 1 session(s) (23 events) to Langfuse.\n');
    const roots = langfuse
      .spans()
      .filter((span) => span.attributes['langfuse.observation.type'] === 'agent');
    expect(roots.map((span) => span.name)).toEqual(['ops — Turn 1', 'ops — Turn 2']);
    expect(roots[0]!.attributes['langfuse.trace.tags']).toEqual(['replayed', 'agent:ops']);
  });

  it('exits 1 with the stable code when keys are missing or the file is unreadable', async () => {
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string) => (stderr.push(String(chunk)), true);
    try {
      expect(
        await main(['node', 'switchboard', 'trace', 'push', fixturePath('plain-chat')], io({})),
      ).toBe(1);
      expect(
        await main(
          [
            'node',
            'switchboard',
            'trace',
            'push',
            '/no/such/events.jsonl',
            '--base-url',
            'http://127.0.0.1:9',
          ],
          io({ LANGFUSE_PUBLIC_KEY: 'pk', LANGFUSE_SECRET_KEY: 'sk' }),
        ),
      ).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr.join('')).toContain('switchboard: TRACING_NO_CREDENTIALS');
    expect(stderr.join('')).toContain('switchboard: TRACING_REPLAY_FAILED');
  });
});
