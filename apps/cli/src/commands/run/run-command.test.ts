import path from 'node:path';
import { SqliteSessionStore } from '@switchboard/agent-core';
import { parseEvent, type AnyEvent } from '@switchboard/events';
import { startModelServer, type ModelServer } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDir } from '../../test-helpers/cli-process.js';
import { cliModelScript, toolResults } from '../../test-helpers/model-script.js';

// The built binary in a real process, against the testkit model server.

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ script: cliModelScript });
});
afterAll(() => server.close());

function setup() {
  const home = tempDir();
  const env = {
    SWITCHBOARD_HOME: home,
    SWITCHBOARD_MODEL: 'openai-compatible:test-model',
    SWITCHBOARD_BASE_URL: server.baseUrl,
  };
  return { home, env, cwd: home };
}

const sessionOf = (stderr: string) => /session (ses_[0-9a-f]+)/.exec(stderr)?.[1];
const requestOf = (stderr: string) => /(apr_[0-9a-f]+)/.exec(stderr)?.[1];

describe('switchboard run (built binary)', () => {
  it('prints the answer on stdout and the rest on stderr (exit 0)', async () => {
    const result = await runCli(['run', 'hello'], setup());
    expect(result.stdout).toBe('Hello there!\n');
    expect(result.stderr).toContain('thinking: Greeting.');
    expect(result.stderr).toMatch(
      /session ses_[0-9a-f]+ · completed · .* · \d+ tokens \(\d+ in, \d+ out\)/, // with the title call
    );
    expect(result.code).toBe(0);
  });

  it('prints only results with --quiet', async () => {
    const result = await runCli(['--quiet', 'run', 'hello'], setup());
    expect(result).toMatchObject({ code: 0, stdout: 'Hello there!\n', stderr: '' });
  });

  it('--json prints event envelopes only, each valid against the contract', async () => {
    const result = await runCli(['run', 'hello', '--json'], setup());
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const events: AnyEvent[] = lines.map((line) => parseEvent(JSON.parse(line)));
    expect(events[0]!.type).toBe('session.started');
    // After the run's end only the session title (its own call, a child of the run) follows.
    const end = events.findIndex((event) => event.type === 'run.finished');
    expect(end).toBeGreaterThan(0);
    expect(
      events
        .slice(end + 1)
        .every((event) => event.parentRunId !== undefined || event.runId === undefined),
    ).toBe(true);
    expect(events.at(-1)!.type).toBe('session.title_updated');
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    const deltas = events.filter((event) => event.type === 'message.delta');
    expect(deltas.map((event) => (event.data as { delta: string }).delta).join('')).toBe(
      'Hello there!',
    );
    expect(new Set(events.map((event) => event.sessionId)).size).toBe(1);
  });

  it('reads the prompt from stdin with "-"', async () => {
    const result = await runCli(['run', '-'], { ...setup(), stdin: 'hello from a pipe\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Hello there!\n');
    const sent = server.requests.some((request) =>
      JSON.stringify(request.body).includes('hello from a pipe'),
    );
    expect(sent).toBe(true);
  });

  it('exits 1 when the run fails, with the code and the hint', async () => {
    const result = await runCli(['run', 'please fail'], setup());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^switchboard: CORE_PROVIDER_AUTH: /m);
    expect(result.stderr).toMatch(/^hint: /m);
  });

  it('exits 1 when the run stops without an answer (--max-turns)', async () => {
    const result = await runCli(['run', 'loop', '--max-turns', '2'], setup());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'switchboard: CLI_RUN_STOPPED: the run stopped without an answer (max_steps).',
    );
  });

  it('exits 2 on a usage or configuration error, naming the flag or variable', async () => {
    const context = setup();
    const flag = await runCli(['run', 'hello', '--max-turns', 'many'], context);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("option '--max-turns <n>' argument 'many' is invalid");
    const answer = await runCli(['run', '--approve', 'apr_1'], context);
    expect(answer.code).toBe(2);
    expect(answer.stderr).toContain("option '--approve <requestId>' needs --session <id>");
    const noModel = await runCli(['run', 'hello'], {
      ...context,
      env: { SWITCHBOARD_HOME: context.home },
    });
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toBe(
      'switchboard: CLI_NO_MODEL: No model is configured.\nhint: Set SWITCHBOARD_MODEL (e.g. openai:gpt-4o-mini) or "model" in switchboard.config.json, or pass --model; \'switchboard doctor\' checks the setup.\n',
    );
    const badModel = await runCli(['run', 'hello', '--model', 'nonsense'], context);
    expect(badModel.code).toBe(2);
    expect(badModel.stderr).toMatch(/^switchboard: CORE_CONFIG_INVALID: --model: /);
  });

  it('stops awaiting approval (exit 3), then --approve runs the tool and resumes', async () => {
    const context = setup();
    const paused = await runCli(['run', 'please run it'], context);
    expect(paused.code).toBe(3);
    expect(paused.stdout).toBe('');
    const sessionId = sessionOf(paused.stderr)!;
    const requestId = requestOf(paused.stderr)!;
    expect(paused.stderr).toContain(
      `approve: switchboard run --session ${sessionId} --approve ${requestId}`,
    );
    expect(paused.stderr).toContain('run_command  {"command":"echo from-the-tool"}');

    const resumed = await runCli(['run', '--session', sessionId, '--approve', requestId], context);
    expect(resumed.stderr).toMatch(/✓ run_command {2}echo from-the-tool/);
    expect(resumed.stdout).toBe('Ran it.\n');
    expect(resumed.code).toBe(0);
    const answered = server.requests.filter((request) =>
      toolResults(request).some((result) => result.includes('from-the-tool\\\\n')),
    );
    expect(answered.length).toBeGreaterThan(0);
  });

  it('--deny answers with a reason; --approve always|never decide without stopping', async () => {
    const context = setup();
    const paused = await runCli(['run', 'please run it'], context);
    const denied = await runCli(
      [
        'run',
        '--session',
        sessionOf(paused.stderr)!,
        '--deny',
        requestOf(paused.stderr)!,
        '--reason',
        'not today',
      ],
      context,
    );
    expect(denied.code).toBe(0);
    expect(denied.stderr).toContain('denied (not today)');
    const always = await runCli(['run', 'please run it', '--approve', 'always'], context);
    expect(always.code).toBe(0);
    expect(always.stderr).toMatch(/✓ run_command/);
    const never = await runCli(['run', 'please run it', '--approve', 'never'], context);
    expect(never.code).toBe(0);
    expect(never.stderr).toContain('denied (--approve never)');
  });

  it('continues a session with --session and refuses a new prompt while it waits (exit 3)', async () => {
    const context = setup();
    const first = await runCli(['run', 'hello'], context);
    const sessionId = sessionOf(first.stderr)!;
    const second = await runCli(['run', 'hello again', '--session', sessionId], context);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`session ${sessionId}`);
    const paused = await runCli(['run', 'please run it', '--session', sessionId], context);
    expect(paused.code).toBe(3);
    const blocked = await runCli(['run', 'hello', '--session', sessionId], context);
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toContain(`session ${sessionId} is waiting for 1 answer(s)`);
  });

  it('SIGINT cancels the run (exit 130) and keeps the partial answer in the session', async () => {
    const context = setup();
    const cli = startCli(['run', 'slow please'], context);
    await cli.waitFor(/part1 /);
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('what was produced is kept');
    const sessionId = sessionOf(result.stderr)!;
    const store = new SqliteSessionStore({ path: path.join(context.home, 'sessions.db') });
    try {
      const snapshot = await store.load(sessionId);
      const assistant = snapshot!.transcript.filter((entry) => entry.message.role === 'assistant');
      expect(assistant).toHaveLength(1);
      expect(assistant[0]!.display.status).toBe('partial');
      expect(JSON.stringify(assistant[0]!.message.content)).toContain('part0 part1 ');
      expect(JSON.stringify(assistant[0]!.message.content)).not.toContain('part39');
    } finally {
      await store.close();
    }
  });
});
