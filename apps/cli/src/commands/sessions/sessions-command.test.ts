import { parseEvent } from '@switchboard/events';
import { startModelServer, type ModelServer } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main.js';
import { runCli, tempDir } from '../../test-helpers/cli-process.js';
import { cliModelScript } from '../../test-helpers/model-script.js';
import { recordingIo } from '../../test-helpers/recording-io.js';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ script: cliModelScript });
});
afterAll(() => server.close());

/**
 * `switchboard` in this process, except `run`, which runs the built binary:
 * sessions are made by other processes (whose leases end with them), as in use.
 */
function cli(home: string) {
  const env = {
    SWITCHBOARD_HOME: home,
    SWITCHBOARD_MODEL: 'openai-compatible:test-model',
    SWITCHBOARD_BASE_URL: server.baseUrl,
  };
  return async (...args: string[]) => {
    if (args[0] === 'run') {
      const result = await runCli(args, { env, cwd: home });
      return { code: result.code, out: result.stdout, err: result.stderr };
    }
    const io = recordingIo({ env, cwd: home });
    const code = await main(['node', 'switchboard', ...args], io);
    return { code, out: io.out(), err: io.err() };
  };
}

describe('switchboard sessions', () => {
  it('lists nothing (and creates nothing) in a new home', async () => {
    const home = tempDir();
    const sessions = cli(home);
    expect(await sessions('sessions', 'list')).toMatchObject({ code: 0, out: '' });
    expect((await sessions('sessions', 'list')).err).toContain('No sessions yet.');
    const missing = await sessions('sessions', 'show', 'ses_nope');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(
      'switchboard: CLI_SESSION_NOT_FOUND: No session ses_nope in the store.',
    );
  });

  it('lists, shows, exports and deletes the sessions runs made', async () => {
    const home = tempDir();
    const sessions = cli(home);
    const first = await sessions('run', 'hello there', '--session', 'ses_first');
    expect(first.code).toBe(0);
    const second = await sessions('run', 'please run it', '--session', 'ses_second');
    expect(second.code).toBe(3);

    const list = await sessions('sessions', 'list');
    expect(list.code).toBe(0);
    const lines = list.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^ses_second {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}awaiting_input {2}\d+ msgs$/,
    );
    // The first exchange got a title (the scripted model answers the title call too).
    expect(lines[1]).toMatch(/^ses_first {2}\S+ \S+ {2}idle {2}2 msgs {2}Hello there!$/);
    const json = (await sessions('sessions', 'list', '--json', '--limit', '1')).out
      .trimEnd()
      .split('\n');
    expect(json.map((line) => JSON.parse(line) as { sessionId: string })).toEqual([
      expect.objectContaining({
        sessionId: 'ses_second',
        agentName: 'switchboard',
        status: 'awaiting_input',
        messageCount: expect.any(Number),
      }),
    ]);

    const show = await sessions('sessions', 'show', 'ses_second');
    expect(show.out).toContain('Session ses_second\n');
    expect(show.out).toContain('› please run it\n');
    expect(show.out).toMatch(/\? run_command {2}echo from-the-tool {2}awaiting approval apr_/);
    expect(show.out).toMatch(
      /waiting for approval apr_\w+: switchboard run --session ses_second --approve apr_/,
    );
    const shown = await sessions('sessions', 'show', 'ses_first');
    expect(shown.out).toContain('thinking: Greeting.\nHello there!\n');
    const found = await sessions('sessions', 'list', '--search', 'hello');
    expect(found.out).toMatch(/^ses_first /);
    expect(found.out.trimEnd().split('\n')).toHaveLength(1);
    const noReasoning = await sessions('sessions', 'show', 'ses_first', '--no-reasoning');
    expect(noReasoning.out).not.toContain('thinking');

    const jsonl = await sessions('sessions', 'export', 'ses_first');
    const events = jsonl.out
      .trimEnd()
      .split('\n')
      .map((line) => parseEvent(JSON.parse(line)));
    expect(events[0]!.type).toBe('session.started');
    expect(events.map((event) => event.type)).toContain('run.finished');
    const markdown = await sessions('sessions', 'export', 'ses_first', '--format', 'markdown');
    expect(markdown.out).toContain('**User:**\n\nhello there');
    expect(markdown.out).toContain('**Assistant:**\n\nHello there!');
    const badFormat = await sessions('sessions', 'export', 'ses_first', '--format', 'pdf');
    expect(badFormat.code).toBe(2);
    expect(badFormat.err).toContain("option '-f, --format <format>' argument 'pdf' is invalid");

    const removed = await sessions('sessions', 'rm', 'ses_first', 'ses_second');
    expect(removed.code).toBe(0);
    expect(removed.err).toMatch(/Deleted ses_first \(\d+ events\)\.\nDeleted ses_second/);
    expect((await sessions('sessions', 'list')).out).toBe('');
    expect((await sessions('sessions', 'export', 'ses_first')).code).toBe(1);
  });
});
