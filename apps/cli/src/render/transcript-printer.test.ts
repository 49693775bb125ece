import {
  initialSessionView,
  reduceSession,
  type AnyEvent,
  type SessionView,
} from '@switchboard/events';
import { loadFixture, type FixtureName } from '@switchboard/events/fixtures';
import { describe, expect, it } from 'vitest';
import { createStyle } from '../output/style.js';
import { TranscriptPrinter, type PrinterSink } from './transcript-printer.js';

function sink(options: { tty?: boolean; color?: boolean } = {}) {
  let written = '';
  const target: PrinterSink & { written(): string } = {
    write: (text) => void (written += text),
    isTTY: options.tty ?? false,
    style: createStyle(options.color ?? false),
    columns: 100,
    written: () => written,
  };
  return target;
}

/** Feeds a fixture event by event, as a live stream would, and returns what was printed. */
function print(name: FixtureName, options: { user?: boolean } = {}) {
  const text = sink();
  const notes = sink();
  const printer = new TranscriptPrinter({ text, notes, ...options });
  let view: SessionView = initialSessionView();
  for (const event of loadFixture(name)) {
    view = reduceSession(view, event);
    printer.update(view);
  }
  return { text: text.written(), notes: notes.written(), view };
}

describe('TranscriptPrinter (golden corpus)', () => {
  it('streams messages and dims nothing without colour: plain chat', () => {
    const both = sink();
    const printer = new TranscriptPrinter({ text: both });
    let view = initialSessionView();
    for (const event of loadFixture('plain-chat'))
      printer.update((view = reduceSession(view, event)));
    expect(both.written()).toMatchInlineSnapshot(`
      "› Say hello
      thinking: A greeting is expected.
      Hello, world!
      "
    `);
  });

  it('keeps assistant text apart from tool lines: multi-tool', () => {
    const { text, notes } = print('multi-tool', { user: false });
    expect(text).toMatchInlineSnapshot(`
      "Checking both cities.
      Paris: 18°C, cloudy. Rome: unavailable right now.
      "
    `);
    expect(notes).toMatchInlineSnapshot(`
      "✓ weather  Weather in Paris  320 ms
      ✗ weather  Weather in Rome  Weather service timed out  5.0 s
      "
    `);
  });

  it('announces an approval at once and prints its outcome after the resume', () => {
    const { text, notes } = print('approval');
    expect(text).toMatchInlineSnapshot(`
      "› Delete /tmp/cache
      Done: /tmp/cache is gone.
      "
    `);
    expect(notes).toMatchInlineSnapshot(`
      "? remove  Remove /tmp/cache  awaiting approval apr_01
      ✓ remove  Remove /tmp/cache  1 min 1 s
      "
    `);
  });

  it('marks cancelled output and calls', () => {
    const { text, notes } = print('cancelled', { user: false });
    expect(text).toMatchInlineSnapshot(`
      "Let me read the files.
      The repo contains a README
      "
    `);
    expect(notes).toMatchInlineSnapshot(`
      "✓ list_files  List .  40 ms
      ⊘ message cancelled
      ⊘ read_file  {"path":"READ  cancelled  28 ms
      "
    `);
  });

  it('prints sub-agent runs, compaction and handoff markers, notices and run errors', () => {
    const delegation = print('delegation', { user: false });
    expect({ text: delegation.text, notes: delegation.notes }).toMatchInlineSnapshot(`
      {
        "notes": "── Context compacted (summarise): 12 messages, 104,000 → 9,000 tokens (estimated)
      ✓ researcher  {"task":"Find the duplicate charge"}  300 ms
        ↳ Two charges on 3 May; one is a hold.
      ✓ transfer_to_billing  {"reason":"refund request"}  5 ms
      ⇢ Handed off from triage to billing: refund request
      ",
        "text": "One charge is a hold; it drops in 3 days.
      ",
      }
    `);
    const { notes } = print('provider-retry', { user: false });
    expect(notes).toMatchInlineSnapshot(`
      "warning CORE_MODEL_FALLBACK: Model openai:gpt-test failed (CORE_PROVIDER_UNAVAILABLE); falling back to anthropic:claude-test.
      ✗ CORE_PROVIDER_NO_RESPONSE: Cannot connect to API: connect ECONNREFUSED 127.0.0.1:9. Check the base URL and the network, and that the server is running.
      "
    `);
  });

  // (Not the approval fixture: fed at once, the approval was never seen waiting, so it is not announced.)
  it('prints the same whether fed event by event or all at once', () => {
    for (const name of [
      'plain-chat',
      'multi-tool',
      'cancelled',
      'delegation',
      'provider-retry',
    ] as const) {
      const stepwise = print(name);
      const text = sink();
      const notes = sink();
      new TranscriptPrinter({ text, notes }).update(stepwise.view);
      expect({ text: text.written(), notes: notes.written() }, name).toEqual({
        text: stepwise.text,
        notes: stepwise.notes,
      });
    }
  });
});

describe('TranscriptPrinter live line', () => {
  const events = loadFixture('multi-tool');
  const upTo = (type: string, nth = 1) => {
    let seen = 0;
    const index = events.findIndex((event) => event.type === type && ++seen === nth);
    return events.slice(0, index + 1);
  };
  const reduce = (list: AnyEvent[]) => list.reduce(reduceSession, initialSessionView());

  it('shows a spinner while waiting for the first token, running tools with their time', () => {
    const notes = sink({ tty: true });
    const printer = new TranscriptPrinter({ text: sink(), notes, live: true, now: () => 0 });
    printer.update(reduce(upTo('generation.started')));
    expect(notes.written()).toBe('\r\u001b[2K⠋ thinking…');
    const running = upTo('tool_call.running', 2);
    const clock = running.at(-1)!.ts + 1500;
    const tools = sink({ tty: true });
    new TranscriptPrinter({ text: sink(), notes: tools, live: true, now: () => clock }).update(
      reduce(running),
    );
    const line = tools.written();
    expect(line.startsWith('\r\u001b[2K')).toBe(true);
    expect(line).toMatch(
      /weather {2}Weather in Paris {2}\d+\.\d s {3}. weather {2}Weather in Rome/,
    );
    expect(line).not.toContain('\n');
  });

  it('draws nothing live when the sink is not a terminal', () => {
    const notes = sink({ tty: false });
    const printer = new TranscriptPrinter({ text: sink(), notes, live: true });
    printer.update(reduce(upTo('generation.started')));
    printer.tick();
    expect(notes.written()).toBe('');
  });
});

describe('TranscriptPrinter.skipTo', () => {
  it('prints only what comes after, including the outcome of a call that was waiting', () => {
    const events = loadFixture('approval');
    const paused = events.findIndex((event) => event.type === 'run.finished') + 1;
    const before = events.slice(0, paused).reduce(reduceSession, initialSessionView());
    const text = sink();
    const notes = sink();
    const printer = new TranscriptPrinter({ text, notes, user: false });
    printer.skipTo(before);
    let view = before;
    for (const event of events.slice(paused)) printer.update((view = reduceSession(view, event)));
    expect(notes.written()).toBe('✓ remove  Remove /tmp/cache  1 min 1 s\n');
    expect(text.written()).toBe('Done: /tmp/cache is gone.\n');
  });
});
