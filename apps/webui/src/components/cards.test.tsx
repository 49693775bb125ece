import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { loadFixture } from '@switchboard/events/fixtures';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { event, renderTimeline, viewOf } from '../test-helpers/render-view.js';
import { UsageMeter } from './usage-meter.js';

afterEach(cleanup);

/** The approval fixture up to its pause (the run awaits the decision). */
function pausedApproval() {
  const events = loadFixture('approval');
  const pause = events.findIndex((entry) => entry.type === 'tool_call.approval_requested');
  const finished = events.findIndex(
    (entry, index) => index > pause && entry.type === 'run.finished',
  );
  return { paused: viewOf(events.slice(0, finished + 1)), all: viewOf(events) };
}

describe('approval cards (from the approval fixture)', () => {
  it('asks while the call awaits approval: allow once, always, or deny with a reason', async () => {
    const { paused } = pausedApproval();
    const approval = paused.approvals[0]!;
    const approve = vi.fn(() => Promise.resolve());
    renderTimeline(paused, { approve });
    const card = screen.getByRole('group', { name: `Approve ${approval.toolName}?` });
    const user = userEvent.setup();
    await user.click(within(card).getByRole('button', { name: 'Allow once' }));
    expect(approve).toHaveBeenLastCalledWith(approval.approvalId, { approved: true });
  });

  it('allow always sends always: true', async () => {
    const { paused } = pausedApproval();
    const approve = vi.fn(() => Promise.resolve());
    renderTimeline(paused, { approve });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Always allow' }));
    expect(approve).toHaveBeenLastCalledWith(paused.approvals[0]!.approvalId, {
      approved: true,
      always: true,
    });
  });

  it('deny asks for a reason and sends it', async () => {
    const { paused } = pausedApproval();
    const approve = vi.fn(() => Promise.resolve());
    renderTimeline(paused, { approve });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Deny…' }));
    await user.type(screen.getByLabelText('Reason (the agent sees it)'), 'not in prod');
    await user.click(screen.getByRole('button', { name: 'Deny' }));
    expect(approve).toHaveBeenLastCalledWith(paused.approvals[0]!.approvalId, {
      approved: false,
      reason: 'not in prod',
    });
  });

  it('shows a refused answer and lets the user try again', async () => {
    const { paused } = pausedApproval();
    const approve = vi.fn(() => Promise.reject(new Error('CORE_SESSION_BUSY')));
    renderTimeline(paused, { approve });
    const button = screen.getByRole('button', { name: 'Allow once' });
    await userEvent.setup().click(button);
    expect((await screen.findByRole('alert')).textContent).toBe('CORE_SESSION_BUSY');
    expect((button as HTMLButtonElement).disabled).toBe(false);
  });

  it('once resolved, the card is gone and the call says it was approved', () => {
    const { all } = pausedApproval();
    const { container } = renderTimeline(all);
    expect(screen.queryByRole('button', { name: 'Allow once' })).toBeNull();
    expect(container.querySelector('.tool__decision')!.textContent).toBe('Approved');
    expect(container.querySelector('.tool')!.getAttribute('data-status')).toBe('completed');
  });
});

describe('clarify cards', () => {
  const asked = [
    event(1, 'run.started', { trigger: 'user' }),
    event(2, 'clarify.requested', {
      clarifyId: 'clr_1',
      question: 'Which region?',
      choices: ['eu', 'us'],
      allowFreeText: true,
      timeoutMs: 120_000,
    }),
  ];

  it('offers the choices, free text and a countdown; a choice is sent as the answer', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000 + 20 + 30_000);
    try {
      const answer = vi.fn(() => Promise.resolve());
      renderTimeline(viewOf(asked), { answer });
      const card = screen.getByRole('group', { name: 'Question from the agent' });
      expect(card.textContent).toContain('Which region?');
      expect(within(card).getByRole('timer').textContent).toBe(' (1:30 left)');
      await userEvent.setup().click(within(card).getByRole('button', { name: 'us' }));
      expect(answer).toHaveBeenLastCalledWith('clr_1', 'us');
    } finally {
      vi.useRealTimers();
    }
  });

  it('free text is sent trimmed', async () => {
    const answer = vi.fn(() => Promise.resolve());
    renderTimeline(viewOf(asked), { answer });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Your answer'), '  asia  ');
    await user.click(screen.getByRole('button', { name: 'Answer' }));
    expect(answer).toHaveBeenLastCalledWith('clr_1', 'asia');
  });

  it('answered, timed out: says so instead of asking', () => {
    const { container, rerender } = renderTimeline(
      viewOf([
        ...asked,
        event(3, 'clarify.resolved', { clarifyId: 'clr_1', answer: 'eu', source: 'user' }),
      ]),
    );
    expect(container.querySelector('.clarify__answer')!.textContent).toBe('You answered: eu');
    expect(screen.queryByRole('button', { name: 'eu' })).toBeNull();
    cleanup();
    const timedOut = renderTimeline(
      viewOf([
        ...asked,
        event(3, 'clarify.resolved', { clarifyId: 'clr_1', answer: 'fb', source: 'timeout' }),
      ]),
    );
    expect(timedOut.container.querySelector('.clarify__answer')!.textContent).toContain(
      'No answer in time',
    );
    void rerender;
  });
});

describe('the usage meter', () => {
  it('shows the turn and session tokens and cost of plain-chat', () => {
    const view = viewOf(loadFixture('plain-chat'));
    const { container } = render(<UsageMeter view={view} />);
    expect(container.textContent).toContain('Session: 21 in · 9 out · $0.0001');
  });

  it('shows the context gauge and the live tokens per second (the view model meter) while streaming', () => {
    const view = viewOf([
      event(1, 'run.started', { trigger: 'user' }),
      event(2, 'generation.started', { generationId: 'gen_1', model: 'm', attempt: 1 }),
      event(3, 'usage.updated', {
        scope: 'run',
        generationId: 'gen_1',
        estimated: true,
        usage: { inputTokens: 100, outputTokens: 10 },
        call: { inputTokens: 100, outputTokens: 10 },
        tokensPerSecond: 42.5,
        contextTokens: 96_000,
        contextWindow: 128_000,
      }),
    ]);
    render(<UsageMeter view={view} />);
    expect(screen.getByRole('meter').getAttribute('aria-valuetext')).toBe('75 % of 128k');
    expect(screen.getByTitle('Output tokens per second').textContent).toBe('42.5 tok/s ~');
  });
});
