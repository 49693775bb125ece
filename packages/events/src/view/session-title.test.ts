import { describe, expect, it } from 'vitest';
import { loadFixture } from '../fixtures/index.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { reduceEvents } from './reduce-session.js';
import { toMarkdown } from './to-markdown.js';

const sessionEvent = (seq: number, type: string, data: unknown): AnyEvent => ({
  v: 1,
  type,
  seq,
  ts: 1000 + seq,
  sessionId: 'ses_1',
  data,
});

describe('the session title in the view', () => {
  it('titled: the last title_updated wins, with its source', () => {
    const events = loadFixture('titled');
    const titles = events.filter((event) => event.type === 'session.title_updated');
    const afterModel = reduceEvents(events.filter((event) => event.seq <= titles[0]!.seq));
    expect(afterModel).toMatchObject({ title: 'Three days in Rome', titleSource: 'model' });
    expect(reduceEvents(events)).toMatchObject({ title: 'Rome in May', titleSource: 'user' });
  });

  it("titled: the title call counts in the session's usage, not in the run it names", () => {
    const events = loadFixture('titled');
    const run2 = events.find((event) => event.type === 'run.started' && event.runId === 'run_02')!;
    const beforeRun2 = reduceEvents(events.filter((event) => event.seq < run2.seq));
    expect(beforeRun2.run).toMatchObject({ runId: 'run_01', status: 'finished' });
    expect(beforeRun2.run?.usage).toMatchObject({ inputTokens: 30, outputTokens: 20 });
    expect(beforeRun2.run?.usage.cost).toEqual({ amount: 0.0002, currency: 'USD' });
    expect(beforeRun2.usage).toMatchObject({ inputTokens: 90, outputTokens: 26 });
    expect(beforeRun2.usage.cost?.amount).toBeCloseTo(0.00025, 10);
  });

  it('a restored session.started carries the stored title and its source', () => {
    const view = reduceEvents([
      sessionEvent(1, 'session.title_updated', { title: 'Old name', source: 'fallback' }),
      sessionEvent(2, 'session.started', {
        restored: true,
        title: 'Rome in May',
        titleSource: 'user',
      }),
      sessionEvent(3, 'session.started', { restored: true }),
    ]);
    expect(view).toMatchObject({ title: 'Rome in May', titleSource: 'user' });
  });

  it('a title from session.started without a source drops the stale source', () => {
    const view = reduceEvents([
      sessionEvent(1, 'session.title_updated', { title: 'Generated', source: 'model' }),
      sessionEvent(2, 'session.started', { title: 'Given by the host' }),
    ]);
    expect(view.title).toBe('Given by the host');
    expect(view).not.toHaveProperty('titleSource');
  });

  it('toMarkdown uses the current title as its heading', () => {
    expect(toMarkdown(loadFixture('titled'))).toMatch(
      /^# Rome in May\n\n\*\*User:\*\*\n\nPlan three days in Rome in May\n\n/,
    );
  });
});
