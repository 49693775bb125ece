import { EventSchema } from '@ag-ui/core/schemas';
import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, loadFixture } from '../../fixtures/index.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import { createAgUiAdapter, toAgUiEvents as convert } from './to-ag-ui.js';

/** AG-UI events with plain-string types, so tests can compare them to literals. */
type Loose = Record<string, unknown> & { type: string };
const toAgUiEvents = (events: Iterable<AnyEvent>): Loose[] => convert(events);

/** AG-UI's lifecycle rules, as its client's verifier applies them. */
function verifyLifecycle(events: readonly Loose[]): void {
  let inRun = false;
  const open = {
    messages: new Set<string>(),
    tools: new Set<string>(),
    reasoning: new Set<string>(),
    steps: new Set<string>(),
  };
  for (const event of events) {
    const e = event as Loose & { messageId?: string; toolCallId?: string; stepName?: string };
    if (!inRun) expect(e.type, 'first event of a run').toBe('RUN_STARTED');
    switch (e.type) {
      case 'RUN_STARTED':
        inRun = true;
        break;
      case 'RUN_FINISHED':
      case 'RUN_ERROR':
        expect(
          [...open.messages, ...open.tools, ...open.reasoning, ...open.steps],
          `open at ${e.type}`,
        ).toEqual([]);
        inRun = false;
        break;
      case 'TEXT_MESSAGE_START':
        open.messages.add(e.messageId!);
        break;
      case 'TEXT_MESSAGE_CONTENT':
        expect(open.messages.has(e.messageId!)).toBe(true);
        break;
      case 'TEXT_MESSAGE_END':
        expect(open.messages.delete(e.messageId!)).toBe(true);
        break;
      case 'REASONING_MESSAGE_START':
        open.reasoning.add(e.messageId!);
        break;
      case 'REASONING_MESSAGE_END':
        expect(open.reasoning.delete(e.messageId!)).toBe(true);
        break;
      case 'TOOL_CALL_START':
        open.tools.add(e.toolCallId!);
        break;
      case 'TOOL_CALL_ARGS':
        expect(open.tools.has(e.toolCallId!)).toBe(true);
        break;
      case 'TOOL_CALL_END':
        expect(open.tools.delete(e.toolCallId!)).toBe(true);
        break;
      case 'STEP_STARTED':
        open.steps.add(e.stepName!);
        break;
      case 'STEP_FINISHED':
        expect(open.steps.delete(e.stepName!)).toBe(true);
        break;
      default:
        break;
    }
  }
}

describe('AG-UI adapter', () => {
  it.each(FIXTURE_NAMES)(
    '%s: every event passes @ag-ui/core schemas and the lifecycle rules',
    (name) => {
      const events = toAgUiEvents(loadFixture(name));
      for (const event of events) {
        const result = EventSchema.safeParse(event);
        expect(result.success, `${event.type}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
      }
      verifyLifecycle(events);
    },
  );

  it('maps a plain chat turn', () => {
    expect(toAgUiEvents(loadFixture('plain-chat')).map((event) => event.type))
      .toMatchInlineSnapshot(`
      [
        "RUN_STARTED",
        "CUSTOM",
        "TEXT_MESSAGE_START",
        "TEXT_MESSAGE_CONTENT",
        "TEXT_MESSAGE_END",
        "STEP_STARTED",
        "CUSTOM",
        "REASONING_START",
        "REASONING_MESSAGE_START",
        "REASONING_MESSAGE_CONTENT",
        "REASONING_MESSAGE_CONTENT",
        "REASONING_MESSAGE_END",
        "REASONING_END",
        "TEXT_MESSAGE_START",
        "TEXT_MESSAGE_CONTENT",
        "TEXT_MESSAGE_CONTENT",
        "TEXT_MESSAGE_CONTENT",
        "TEXT_MESSAGE_END",
        "CUSTOM",
        "CUSTOM",
        "STEP_FINISHED",
        "RUN_FINISHED",
      ]
    `);
  });

  it('ends an approval run with an interrupt outcome and a cancelled run with a cancelled outcome', () => {
    const approval = toAgUiEvents(loadFixture('approval')).filter(
      (event) => event.type === 'RUN_FINISHED',
    );
    expect(approval.map((event) => event.outcome)).toEqual([
      {
        type: 'interrupt',
        interrupts: [{ id: 'apr_01', reason: 'tool_approval', toolCallId: 'call_01' }],
      },
      { type: 'success' },
    ]);
    const cancelled = toAgUiEvents(loadFixture('cancelled'));
    expect(cancelled.find((event) => event.type === 'RUN_FINISHED')?.outcome).toEqual({
      type: 'cancelled',
    });
    // The half-streamed tool call was closed before the run finished.
    const last = cancelled.findIndex((event) => event.type === 'RUN_FINISHED');
    expect(
      cancelled
        .slice(0, last)
        .some((event) => event.type === 'TOOL_CALL_END' && event.toolCallId === 'call_02'),
    ).toBe(true);
  });

  it('approval: START, ARGS and END in the paused run, the RESULT in the resume run', () => {
    const events = toAgUiEvents(loadFixture('approval'));
    const runs: string[][] = [];
    for (const event of events) {
      if (event.type === 'RUN_STARTED') runs.push([]);
      if (event.type.startsWith('TOOL_CALL_') || event.type.startsWith('RUN_'))
        runs
          .at(-1)!
          .push(
            typeof event.toolCallId === 'string' ? `${event.type}:${event.toolCallId}` : event.type,
          );
    }
    expect(runs).toEqual([
      [
        'RUN_STARTED',
        'TOOL_CALL_START:call_01',
        'TOOL_CALL_ARGS:call_01',
        'TOOL_CALL_END:call_01',
        'RUN_FINISHED',
      ],
      ['RUN_STARTED', 'TOOL_CALL_RESULT:call_01', 'RUN_FINISHED'],
    ]);
  });

  it('keeps parallel tool calls apart, with results and status metadata', () => {
    const events = toAgUiEvents(loadFixture('multi-tool'));
    const results = events.filter((event) => event.type === 'TOOL_CALL_RESULT');
    expect(
      results.map((event) => [
        event.toolCallId,
        (event.metadata as { switchboard: { status: string } }).switchboard.status,
      ]),
    ).toEqual([
      ['call_02', 'failed'],
      ['call_01', 'completed'],
    ]);
    expect(JSON.parse(results[1]!.content as string)).toEqual({
      city: 'Paris',
      tempC: 18,
      sky: 'cloudy',
    });
    const args = events
      .filter((event) => event.type === 'TOOL_CALL_ARGS' && event.toolCallId === 'call_01')
      .map((event) => event.delta)
      .join('');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(
      events
        .filter((event) => event.type === 'ACTIVITY_SNAPSHOT')
        .map((event) => event.activityType),
    ).toEqual(['PLAN', 'TOOL_PROGRESS', 'PLAN']);
  });

  it('is lossless through CUSTOM and metadata: every input seq is referenced', () => {
    for (const name of FIXTURE_NAMES) {
      const input = loadFixture(name);
      const seqs = new Set(
        toAgUiEvents(input).map((event) => {
          if (event.type === 'CUSTOM') return (event.value as AnyEvent).seq;
          return (event.metadata as { switchboard: { seq: number } }).switchboard.seq;
        }),
      );
      for (const event of input)
        expect(seqs.has(event.seq), `${name} seq ${event.seq} (${event.type})`).toBe(true);
    }
  });

  it('closes open constructs when a stream ends mid-run', () => {
    const adapter = createAgUiAdapter();
    const events = loadFixture('plain-chat');
    const cut = events.findIndex((event) => event.type === 'message.delta');
    const out = events
      .slice(0, cut + 1)
      .flatMap((event) => adapter.push(event)) as unknown as Loose[];
    const closing = adapter.end() as unknown as Loose[];
    expect(closing.map((event) => event.type)).toEqual(['TEXT_MESSAGE_END', 'STEP_FINISHED']);
    expect(out[0]!.type).toBe('RUN_STARTED');
  });

  it('passes retries on as CUSTOM events, and a failed run with the hint in its message', () => {
    const events = toAgUiEvents(loadFixture('provider-retry'));
    expect(events.filter((event) => event.name === 'switchboard.generation.retrying')).toHaveLength(
      3,
    );
    const error = events.find((event) => event.type === 'RUN_ERROR')!;
    expect(error.message).toMatch(/Check the base URL and the network/);
  });

  it('titled: a title between runs waits for the next run (AG-UI allows nothing outside one), as CUSTOM', () => {
    const input = loadFixture('titled');
    const events = toAgUiEvents(input);
    const titles = events.filter((event) => event.name === 'switchboard.session.title_updated');
    expect(titles.map((event) => (event.value as AnyEvent).data)).toEqual([
      { title: 'Three days in Rome', source: 'model' },
      { title: 'Rome in May', source: 'user' },
    ]);
    const secondRun = events.findLastIndex((event) => event.type === 'RUN_STARTED');
    expect(events.indexOf(titles[0]!)).toBeGreaterThan(secondRun);
    // A rename during a run is sent at once.
    const adapter = createAgUiAdapter();
    const started = input.find((event) => event.type === 'run.started')!;
    adapter.push(started);
    const renamed = adapter.push({
      v: 1,
      type: 'session.title_updated',
      seq: started.seq + 1,
      ts: started.ts + 1,
      sessionId: started.sessionId,
      data: { title: 'Now', source: 'user' },
    });
    expect(renamed).toMatchObject([{ type: 'CUSTOM', name: 'switchboard.session.title_updated' }]);
  });

  it('titled: a stream resumed after run_01 ended opens no run for the title call (a child of it)', () => {
    const input = loadFixture('titled');
    const ended = input.findIndex((event) => event.type === 'run.finished');
    const events = toAgUiEvents(input.slice(ended + 1));
    expect(events.filter((event) => event.type === 'RUN_STARTED').map((e) => e.runId)).toEqual([
      'run_02',
    ]);
    expect(events.some((event) => event.type === 'RUN_ERROR')).toBe(false);
    verifyLifecycle(events);
  });
});
