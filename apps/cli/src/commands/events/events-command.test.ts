import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEvent, summarize, toMarkdown, type AnyEvent } from '@switchboard/events';
import { fixturePath, loadFixture } from '@switchboard/events/fixtures';
import { describe, expect, it } from 'vitest';
import { main } from '../../main.js';
import { runCli, startCli, tempDir } from '../../test-helpers/cli-process.js';
import { recordingIo } from '../../test-helpers/recording-io.js';

async function cli(...args: string[]) {
  const io = recordingIo({ env: {}, cwd: tempDir() });
  const code = await main(['node', 'switchboard', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const jsonLines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
const toText = (events: readonly AnyEvent[]) =>
  events.map((event) => `${JSON.stringify(event)}\n`).join('');

/** A fixture split into a rotated set: events.jsonl then events-000001.jsonl. */
function rotatedSet(name: Parameters<typeof loadFixture>[0], cut: number) {
  const dir = tempDir();
  const events = loadFixture(name);
  const base = path.join(dir, 'events.jsonl');
  writeFileSync(base, toText(events.slice(0, cut)));
  writeFileSync(path.join(dir, 'events-000001.jsonl'), toText(events.slice(cut)));
  return { base, events };
}

describe('switchboard events', () => {
  it('cat prints a rotated set in order, filtered by session and type', async () => {
    const { base, events } = rotatedSet('multi-tool', 10);
    const all = await cli('events', 'cat', base);
    expect(all.code).toBe(0);
    expect(jsonLines(all.out)).toEqual(events);
    const tools = await cli(
      'events',
      'cat',
      base,
      fixturePath('plain-chat'),
      '--type',
      'tool_call.',
      '--type',
      'run.finished',
    );
    const types = jsonLines(tools.out).map((event) => (event as AnyEvent).type);
    expect(new Set(types)).toEqual(
      new Set([
        'tool_call.started',
        'tool_call.args_delta',
        'tool_call.ready',
        'tool_call.running',
        'tool_call.progress',
        'tool_call.completed',
        'run.finished',
      ]),
    );
    expect(types.filter((type) => type === 'run.finished')).toHaveLength(2);
    const one = await cli(
      'events',
      'cat',
      base,
      fixturePath('plain-chat'),
      '--session',
      'ses_plain',
    );
    expect(jsonLines(one.out)).toEqual(loadFixture('plain-chat'));
    const pretty = await cli(
      'events',
      'cat',
      fixturePath('approval'),
      '--pretty',
      '--type',
      'run.finished',
    );
    expect(pretty.out.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^#11 {2}\d\d:\d\d:\d\d\.\d{3} {2}run\.finished {2}ses_approval run_01 {2}awaiting_input \d+$/,
      ),
      expect.stringMatching(/^#23 .* run\.finished .* completed \d+$/),
    ]);
  });

  it('cat fails with the file and line of a corrupt line, and on a missing log', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.jsonl');
    writeFileSync(file, `${readFileSync(fixturePath('plain-chat'), 'utf8')}not json\n`);
    const corrupt = await cli('events', 'cat', file);
    expect(corrupt.code).toBe(1);
    expect(corrupt.err).toContain(
      `switchboard: EVENTS_JSONL_CORRUPT: ${file}:19 is not valid JSON`,
    );
    const missing = await cli('events', 'cat', path.join(dir, 'none.jsonl'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('switchboard: CLI_FILE_UNREADABLE: No event log');
  });

  it('tail prints the last events of a log', async () => {
    const { base, events } = rotatedSet('approval', 20);
    const tail = await cli('events', 'tail', '-n', '3', base);
    expect(jsonLines(tail.out)).toEqual(events.slice(-3));
  });

  it('stats prints summarize() per session, as text or JSON', async () => {
    const json = await cli(
      'events',
      'stats',
      fixturePath('multi-tool'),
      fixturePath('provider-retry'),
      '--json',
    );
    expect(jsonLines(json.out)).toEqual([
      summarize(loadFixture('multi-tool')),
      summarize(loadFixture('provider-retry')),
    ]);
    const text = await cli('events', 'stats', fixturePath('multi-tool'));
    expect(text.out).toBe(
      [
        'ses_tools',
        '  runs 1 · turns 1 · messages 3 (1 user, 2 assistant)',
        '  tool calls 2: weather ×2 (1 completed, 1 failed)',
        '  tokens 180 (130 in, 50 out, 40 cached, 0 reasoning)',
        '  latency: first token p50 150 ms, p95 150 ms (1) · run p50 6.2 s, p95 6.2 s (1)',
        '  errors 1: CORE_TOOL_TIMEOUT ×1',
        '',
      ].join('\n'),
    );
  });

  it('convert writes the adapters’ output as JSON lines, or Markdown', async () => {
    const { createAgUiAdapter } = await import('@switchboard/events/ag-ui');
    const { toAcpMessages } = await import('@switchboard/events/acp');
    const { toUiMessageChunks } = await import('@switchboard/events/ai-sdk');
    const events = loadFixture('approval');
    const adapter = createAgUiAdapter();
    const agUi = [...events.flatMap((event) => adapter.push(event)), ...adapter.end()];
    expect(
      jsonLines((await cli('events', 'convert', fixturePath('approval'), '--to', 'ag-ui')).out),
    ).toEqual(JSON.parse(JSON.stringify(agUi)));
    expect(
      jsonLines((await cli('events', 'convert', fixturePath('approval'), '--to', 'acp')).out),
    ).toEqual(JSON.parse(JSON.stringify(toAcpMessages(events))));
    expect(
      jsonLines((await cli('events', 'convert', fixturePath('approval'), '--to', 'ai-sdk')).out),
    ).toEqual(JSON.parse(JSON.stringify(toUiMessageChunks(events))));
    expect((await cli('events', 'convert', fixturePath('approval'), '--to', 'markdown')).out).toBe(
      toMarkdown(events),
    );
    const missing = await cli('events', 'convert', fixturePath('approval'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("required option '--to <format>' not specified");
  });

  it('validate passes the golden corpus', async () => {
    const names = [
      'approval',
      'cancelled',
      'delegation',
      'multi-tool',
      'plain-chat',
      'provider-retry',
    ] as const;
    const result = await cli('events', 'validate', ...names.map((name) => fixturePath(name)));
    expect(result.code).toBe(0);
    expect(result.out).toBe('');
    expect(result.err.trimEnd().split('\n')).toHaveLength(names.length);
    expect(result.err).toMatch(/plain-chat\.jsonl: 18 events in 1 file\(s\), ok/);
  });
});

describe('switchboard events (built binary)', () => {
  it('validate reports every bad line of a corrupt rotated log with its code (exit 1)', async () => {
    const dir = tempDir();
    const base = path.join(dir, 'events.jsonl');
    const events = loadFixture('plain-chat');
    const [first, second, third] = events;
    writeFileSync(
      base,
      [
        JSON.stringify(first),
        'not json at all',
        // A trigger that is not a string (an unknown string is accepted: an open enum).
        JSON.stringify({ ...second, data: { trigger: 42 } }),
        JSON.stringify({ ...third, seq: 1 }),
        JSON.stringify({ ...third, v: 99, seq: 3 }),
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'events-000001.jsonl'),
      `${JSON.stringify({ ...events[3], sessionId: 42 })}\n${JSON.stringify(events[4]).slice(0, 30)}`,
    );
    const result = await runCli(['events', 'validate', base], { env: {}, cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/events\.jsonl:2: EVENTS_JSONL_CORRUPT: is not valid JSON: /),
      expect.stringMatching(
        /events\.jsonl:3: EVENTS_INVALID_EVENT: Invalid event 'run\.started': data\.trigger: /,
      ),
      expect.stringMatching(
        /events\.jsonl:4: EVENTS_JSONL_CORRUPT: has seq 1 of session ses_plain after seq 2: a duplicate or out of order$/,
      ),
      expect.stringMatching(
        /events\.jsonl:5: EVENTS_UNSUPPORTED_VERSION: Event contract v99 is not supported \(this is v1\)\.$/,
      ),
      expect.stringMatching(
        /events-000001\.jsonl:1: EVENTS_JSONL_CORRUPT: has no string sessionId$/,
      ),
    ]);
    expect(result.stderr).toContain('events-000001.jsonl:2 is a torn last line');
    expect(result.stderr).toMatch(/events\.jsonl: \d+ events in 2 file\(s\), 5 bad line\(s\)/);
  });

  it('tail -f follows a growing log across rotation until Ctrl-C', async () => {
    const dir = tempDir();
    const base = path.join(dir, 'events.jsonl');
    const events = loadFixture('plain-chat');
    writeFileSync(base, toText(events.slice(0, 5)));
    const tail = startCli(['events', 'tail', '-f', '-n', '1', base], { env: {}, cwd: dir });
    await tail.waitFor(/"seq":5/);
    appendFileSync(base, toText(events.slice(5, 8)));
    await tail.waitFor(/"seq":8/);
    // A torn write in the old file, then rotation: the torn line is skipped.
    appendFileSync(base, JSON.stringify(events[8]).slice(0, 20));
    writeFileSync(path.join(dir, 'events-000001.jsonl'), toText(events.slice(9, 11)));
    await tail.waitFor(/"seq":11/);
    appendFileSync(path.join(dir, 'events-000001.jsonl'), toText(events.slice(11)));
    await tail.waitFor(/"seq":18/);
    tail.child.kill('SIGINT');
    const result = await tail.done;
    expect(result.code).toBe(0);
    const seqs = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => parseEvent(JSON.parse(line)).seq);
    expect(seqs).toEqual([5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
  });
});
