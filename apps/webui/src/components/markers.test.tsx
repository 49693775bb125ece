import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { loadFixture } from '@switchboard/events/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { event, renderTimeline, viewOf } from '../test-helpers/render-view.js';
import { TurnUsageChart, CHART_TURNS } from './turn-usage-chart.js';
import { UsageMeter } from './usage-meter.js';

afterEach(cleanup);

describe('compaction and handoff markers (delegation fixture)', () => {
  it('marks where the context was compacted and where another agent took over, in timeline order', () => {
    const { container } = renderTimeline(viewOf(loadFixture('delegation')));
    const markers = [...container.querySelectorAll('.marker')];
    expect(markers.map((marker) => marker.className)).toEqual([
      'marker marker--compaction',
      'marker marker--handoff',
    ]);
    const [compaction, handoff] = markers as HTMLElement[];
    expect(compaction!.textContent).toBe(
      'Context compacted · 12 messages summarised · 104k → 9.0k tokens (est.)',
    );
    expect(compaction!.getAttribute('title')).toBe('Strategy: summarise (token counts estimated)');
    expect(handoff!.textContent).toBe('Handed off from triage to billing · refund request');
    // The compaction comes before the first tool card, the handoff before billing's answer.
    const rows = [...container.querySelectorAll('.marker, .tool, .msg')];
    const order = rows.map((row) => row.className.split(' ')[0]!.replace(/--.*/, ''));
    expect(order).toEqual(['msg', 'marker', 'tool', 'msg', 'tool', 'marker', 'msg']);
    expect(within(handoff!).queryByText(/was told/)).toBeNull();
  });

  it('a handoff with a summary shows it on demand', async () => {
    renderTimeline(
      viewOf([
        event(1, 'agent.handoff', {
          fromAgent: 'triage',
          toAgent: 'billing',
          summary: 'The user was charged twice on 3 May.',
        }),
      ]),
    );
    const summary = screen.getByText('What billing was told');
    const details = summary.closest('details')!;
    expect(details.open).toBe(false);
    await userEvent.setup().click(summary);
    expect(details.open).toBe(true);
    expect(details.textContent).toContain('The user was charged twice on 3 May.');
  });
});

describe('per-turn usage chart', () => {
  it('titled: one bar per turn, scaled to the busiest, with each turn’s tokens and cost', async () => {
    const view = viewOf(loadFixture('titled'));
    const { container } = render(<UsageMeter view={view} />);
    const chart = screen.getByRole('img', { name: 'Tokens per turn, last 2' });
    const bars = [...chart.querySelectorAll('g')];
    expect(bars.map((bar) => bar.querySelector('title')!.textContent)).toEqual([
      'Turn 1: 30 in · 20 out · $0.0002 · 450 ms',
      expect.stringMatching(/^Turn 2: 60 in · 4 out · \d+ ms$/),
    ]);
    // Turn 1 (50 tokens) and turn 2 (64, the peak) fill the 22 px high chart proportionally.
    const stack = (bar: Element) =>
      [...bar.querySelectorAll('rect')].reduce(
        (sum, rect) => sum + Number(rect.getAttribute('height')),
        0,
      );
    expect(stack(bars[1]!)).toBeCloseTo(22, 5);
    expect(stack(bars[0]!)).toBeCloseTo((50 / 64) * 22, 5);
    await userEvent.setup().click(screen.getByText('Turns'));
    const rows = within(container.querySelector('table')!).getAllByRole('row').slice(1);
    expect(rows.map((row) => [...row.children].map((cell) => cell.textContent))).toEqual([
      ['1', '30', '20', '$0.0002', '450 ms'],
      ['2', '60', '4', '—', expect.stringMatching(/ms$/)],
    ]);
  });

  it('delegation: the handoff target’s turn is named after its agent; failed turns are marked', () => {
    const { container } = render(<UsageMeter view={viewOf(loadFixture('delegation'))} />);
    const heads = [...container.querySelectorAll('tbody th')].map((cell) => cell.textContent);
    expect(heads).toEqual(['1', '2 (billing)']);
    const failed = render(<UsageMeter view={viewOf(loadFixture('provider-retry'))} />);
    expect(failed.container.querySelector('.turn-chart__bar--failed')).not.toBeNull();
    expect(failed.container.querySelector('tr[data-status="failed"]')).not.toBeNull();
  });

  it('a running turn says so; only the latest turns are drawn', () => {
    const events = [];
    let seq = 0;
    for (let turn = 1; turn <= CHART_TURNS + 6; turn++) {
      const runId = `run_${turn}`;
      events.push({ ...event(++seq, 'run.started', { trigger: 'user' }), runId });
      events.push({
        ...event(++seq, 'generation.finished', {
          generationId: `gen_${turn}`,
          provider: 'openai',
          model: 'm',
          finishReason: 'stop',
          usage: { inputTokens: turn * 10, outputTokens: turn },
        }),
        runId,
      });
      if (turn < CHART_TURNS + 6)
        events.push({ ...event(++seq, 'run.finished', { stopReason: 'completed' }), runId });
    }
    const view = viewOf(events);
    const { container } = render(<TurnUsageChart turns={view.turns} />);
    const bars = container.querySelectorAll('g');
    expect(bars.length).toBe(CHART_TURNS);
    expect(bars[0]!.querySelector('title')!.textContent).toMatch(/^Turn 7: /);
    expect(bars[CHART_TURNS - 1]!.querySelector('title')!.textContent).toBe(
      `Turn ${CHART_TURNS + 6} (running): 300 in · 30 out`,
    );
    expect(container.querySelector('tr[data-status="running"] td:last-child')!.textContent).toBe(
      'running',
    );
  });

  it('no turns, no chart', () => {
    const { container } = render(<UsageMeter view={viewOf([])} />);
    expect(container.querySelector('.turn-chart')).toBeNull();
  });
});
