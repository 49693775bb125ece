import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startModelServer, type ModelServer } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../test-helpers/cli-process.js';
import { cliModelScript } from '../../test-helpers/model-script.js';
import { TmuxSession } from '../../test-helpers/tmux-session.js';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ script: cliModelScript });
});
afterAll(() => server.close());

function setup(extra: Record<string, string> = {}) {
  const home = tempDir();
  return {
    cwd: home,
    env: {
      SWITCHBOARD_HOME: home,
      SWITCHBOARD_MODEL: 'openai-compatible:test-model',
      SWITCHBOARD_BASE_URL: server.baseUrl,
      TERM: 'xterm-256color',
      NO_COLOR: '1',
      ...extra,
    },
  };
}

describe('switchboard chat in a terminal (tmux)', () => {
  it('streams an answer, asks an approval inline, cancels with Ctrl-C, answers a question, /new', async () => {
    const context = setup();
    await using tmux = await TmuxSession.start(['chat'], context);
    const started = await tmux.waitFor(/New session (ses_\w+)/);
    const sessionId = /New session (ses_\w+)/.exec(started)![1]!;
    await tmux.waitFor(/› $/m);

    await tmux.type('hello');
    await tmux.waitFor(/thinking: Greeting\.\nHello there!\n/);
    await tmux.waitFor(/Hello there!\n› $/m);

    await tmux.type('please run it');
    await tmux.waitFor(/\? run_command {2}echo from-the-tool {2}awaiting approval apr_\w+/);
    await tmux.waitFor(/allow run_command\? \[y\] once {2}\[a\] always {2}\[n\] deny › $/m);
    await tmux.type('y');
    await tmux.waitFor(/✓ run_command {2}echo from-the-tool {2}\d+ ms\nRan it\.\n/);

    await tmux.type('slow please');
    await tmux.waitFor(/part2 /);
    await tmux.keys('C-c');
    await tmux.waitFor(/cancelling… \(Ctrl-C again to exit\)/);
    const cancelled = await tmux.waitFor(/⊘ message cancelled\n› $/m);
    expect(cancelled).not.toContain('part39');

    await tmux.type('ask me');
    await tmux.waitFor(/\? Which city\?\n {2}1\. Paris\n {2}2\. Rome\n/);
    await tmux.waitFor(/answer \(\d+ s\) › $/m);
    await tmux.type('2');
    await tmux.waitFor(/ {2}→ Rome\n(.*\n)?Noted: Rome\n/);

    await tmux.type('/cost');
    await tmux.waitFor(/session: \d+ tokens \(\d+ in, \d+ out\)\nlast run: /);
    await tmux.type('/new');
    const fresh = await tmux.waitFor(/New session (ses_\w+)\n› $/m);
    expect(/New session (ses_\w+)\n› $/m.exec(fresh)![1]).not.toBe(sessionId);

    await tmux.keys('C-c');
    await tmux.waitFor(/\(Ctrl-C again or \/quit to exit\)/);
    await tmux.keys('C-c');
    await tmux.waitFor(/\[exit 0\]/);

    // The chat's session is in the shared store, for `sessions list` (and the web app).
    const list = await runCli(['sessions', 'list'], context);
    expect(list.stdout).toContain(sessionId);
    const show = await runCli(['sessions', 'show', sessionId], context);
    expect(show.stdout).toContain('› hello\n');
    expect(show.stdout).toMatch(/part0 part1 part2 /);
    expect(show.stdout).toContain('⊘ message cancelled');
  });

  it('/steer guides a running answer; a second Ctrl-C while cancelling exits', async () => {
    const context = setup();
    await using tmux = await TmuxSession.start(['chat'], context);
    await tmux.waitFor(/› $/m);
    await tmux.type('slow please');
    await tmux.waitFor(/part1 /);
    await tmux.type('/steer keep it short');
    await tmux.waitFor(/↪ steer: keep it short/);
    await tmux.keys('C-c');
    await tmux.keys('C-c');
    await tmux.waitFor(/\[exit 0\]/);
  });

  it('keys typed while an answer streams are not echoed into it, and wait at the next prompt', async () => {
    const context = setup();
    await using tmux = await TmuxSession.start(['chat'], context);
    await tmux.waitFor(/› $/m);
    await tmux.type('slow please');
    await tmux.waitFor(/part2 /);
    await tmux.type('hello', false); // typed mid-stream, no Enter yet
    await tmux.waitFor(/part6 /); // the answer goes on streaming after the keys
    const streaming = await tmux.screen();
    expect(streaming).toMatch(/part0 part1 part2 part3 part4 part5 part6 /);
    expect(streaming).not.toContain('hello');
    await tmux.keys('C-c');
    // The run ends; the keys typed during it are on the prompt, ready to send.
    await tmux.waitFor(/⊘ message cancelled\n› hello$/m);
    await tmux.keys('Enter');
    await tmux.waitFor(/Hello there!\n› $/m);
    await tmux.type('/quit');
    await tmux.waitFor(/\[exit 0\]/);
  });

  it('shows a spinner while waiting for the first token, in colour unless NO_COLOR', async () => {
    const context = setup({ NO_COLOR: '' });
    await using tmux = await TmuxSession.start(['chat'], context);
    await tmux.waitFor(/› $/m);
    await tmux.type('pause please');
    // Colour codes (as tmux re-encodes them) may sit between the spinner and its text.
    const sgr = `(?:${'\u001b'}\\[[0-9;]*m)*`;
    const spinner = new RegExp(`${'\u001b'}\\[36m[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]${sgr} ${sgr}thinking…`);
    await tmux.waitFor(spinner, 60_000, { escapes: true });
    await tmux.waitFor(/Done waiting\.\n/);
    expect(await tmux.screen()).not.toMatch(/thinking…/);
    await tmux.type('/quit');
    await tmux.waitFor(/\[exit 0\]/);
  });
});

describe('switchboard chat with piped input', () => {
  it('runs each line in order, answers approvals from the next line, and exits at the end', async () => {
    const context = setup();
    // The models a session may pick, besides the default, come from a config file (`models`).
    writeFileSync(
      path.join(context.cwd, 'switchboard.config.json'),
      JSON.stringify({ models: ['openai-compatible:other-model'] }),
    );
    const result = await runCli(['chat'], {
      ...context,
      stdin:
        'hello\nplease run it\na\n/cost\n/model\n/sessions\n/help\n/nope\n/model openai-compatible:other-model\nhello again\n/model nonsense\n',
    });
    expect(result.code).toBe(0);
    const out = result.stdout;
    const order = [
      'Hello there!',
      'awaiting approval apr_',
      'allow run_command? [y] once  [a] always  [n] deny ›',
      '✓ run_command',
      'Ran it.',
      '\nsession: ',
      '\n* openai-compatible:test-model\n  openai-compatible:other-model\n',
      '* ses_',
      '/steer <text>',
      'unknown command /nope: /help lists them',
      '\nmodel openai-compatible:other-model\n',
    ].map((text) => out.indexOf(text));
    expect(result.stderr).toMatch(/^switchboard: CORE_MODEL_NOT_ALLOWED: /m);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).not.toContain('› \n');
    // /model switched the session: its next run went to the other model.
    const last = server.requests.filter((request) =>
      JSON.stringify(request.body).includes('hello again'),
    );
    expect(last.map((request) => (request.body as { model: string }).model)).toEqual([
      'other-model',
    ]);
  });

  it('ends a run that waits for a question when the input ends', async () => {
    const result = await runCli(['chat'], { ...setup(), stdin: 'ask me\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('? Which city?');
    expect(result.stdout).toMatch(/→ {1,2}\(cancelled\)|cancelled/);
  });
});
