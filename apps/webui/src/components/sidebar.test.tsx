import { act, cleanup, render, renderHook, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionMeta } from '../api/api-types.js';
import { UNDO_WINDOW_MS, usePendingDeletes } from '../state/use-pending-deletes.js';
import { Sidebar } from './sidebar.js';
import { UndoToasts } from './undo-toast.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const session = (id: string, title: string | null): SessionMeta => ({
  id,
  title,
  model: null,
  createdAt: 1,
  updatedAt: 2,
});

function renderSidebar(overrides: Partial<Parameters<typeof Sidebar>[0]> = {}) {
  const props = {
    sessions: [session('ses_a', 'Trip to Rome'), session('ses_b', null)],
    activeId: 'ses_a',
    query: '',
    onQuery: vi.fn(),
    hasMore: false,
    loading: false,
    onMore: vi.fn(),
    onSelect: vi.fn(),
    onNew: vi.fn(),
    onRename: vi.fn(),
    onDelete: vi.fn(),
    canCreate: true,
    ...overrides,
  };
  render(<Sidebar {...props} />);
  return props;
}

describe('the sidebar', () => {
  it('lists titles (a fallback for untitled ones) and marks the open session', () => {
    renderSidebar();
    const links = screen.getAllByRole('link');
    expect(links.map((link) => link.querySelector('.session__title')!.textContent)).toEqual([
      'Trip to Rome',
      'New chat',
    ]);
    expect(links[0]!.getAttribute('aria-current')).toBe('page');
    expect(links[1]!.getAttribute('href')).toBe('?session=ses_b');
  });

  it('deletes in one click, handing the session to the caller (who offers the undo)', async () => {
    const props = renderSidebar();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Delete Trip to Rome' }));
    expect(props.onDelete).toHaveBeenCalledWith(props.sessions[0]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('renames inline: Enter saves the trimmed title, Escape and empty titles change nothing', async () => {
    const props = renderSidebar();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Rename Trip to Rome' }));
    const input = screen.getByLabelText('New title');
    expect((input as HTMLInputElement).value).toBe('Trip to Rome');
    await user.clear(input);
    await user.type(input, '  Rome in May  {Enter}');
    expect(props.onRename).toHaveBeenCalledWith('ses_a', 'Rome in May');
    await user.click(screen.getByRole('button', { name: 'Rename New chat' }));
    await user.type(screen.getByLabelText('New title'), 'Draft{Escape}');
    expect(screen.queryByLabelText('New title')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Rename New chat' }));
    await user.type(screen.getByLabelText('New title'), '   {Enter}');
    expect(props.onRename).toHaveBeenCalledTimes(1);
  });
});

describe('delete with undo', () => {
  it('sends the delete only when the undo window ends, once', () => {
    vi.useFakeTimers();
    const commit = vi.fn();
    const { result } = renderHook(() => usePendingDeletes({ commit }));
    act(() => result.current.schedule(session('ses_a', 'A'), true));
    expect(result.current.pending.map((entry) => entry.session.id)).toEqual(['ses_a']);
    act(() => {
      vi.advanceTimersByTime(UNDO_WINDOW_MS - 1);
    });
    expect(commit).not.toHaveBeenCalled();
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(commit).toHaveBeenCalledExactlyOnceWith('ses_a', false);
    expect(result.current.pending).toEqual([]);
    act(() => {
      vi.advanceTimersByTime(UNDO_WINDOW_MS * 2);
    });
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('undo within the window: nothing is ever sent, and it says whether the session was open', () => {
    vi.useFakeTimers();
    const commit = vi.fn();
    const { result } = renderHook(() => usePendingDeletes({ commit }));
    act(() => result.current.schedule(session('ses_a', 'A'), true));
    let restored: ReturnType<typeof result.current.undo>;
    act(() => {
      restored = result.current.undo('ses_a');
    });
    expect(restored!).toMatchObject({ wasActive: true, session: { id: 'ses_a' } });
    expect(result.current.pending).toEqual([]);
    act(() => {
      vi.advanceTimersByTime(UNDO_WINDOW_MS * 2);
    });
    expect(commit).not.toHaveBeenCalled();
    // Too late: nothing to bring back.
    expect(result.current.undo('ses_a')).toBeUndefined();
  });

  it('the page going away sends what is pending, with keepalive; so does unmounting', () => {
    const commit = vi.fn();
    const { result, unmount } = renderHook(() => usePendingDeletes({ commit }));
    act(() => {
      result.current.schedule(session('ses_a', 'A'), false);
      result.current.schedule(session('ses_b', 'B'), false);
      result.current.schedule(session('ses_a', 'A'), false); // twice: one entry
    });
    expect(result.current.pending).toHaveLength(2);
    act(() => void window.dispatchEvent(new Event('pagehide')));
    expect(commit.mock.calls).toEqual([
      ['ses_a', true],
      ['ses_b', true],
    ]);
    act(() => result.current.schedule(session('ses_c', 'C'), false));
    unmount();
    expect(commit).toHaveBeenLastCalledWith('ses_c', true);
  });

  it('the notice: Undo brings it back, × deletes now', async () => {
    const onUndo = vi.fn();
    const onDismiss = vi.fn();
    render(
      <UndoToasts
        pending={[{ session: session('ses_a', 'Trip to Rome'), wasActive: false }]}
        onUndo={onUndo}
        onDismiss={onDismiss}
      />,
    );
    const toast = screen.getByRole('status');
    expect(toast.textContent).toContain('Deleted “Trip to Rome”.');
    const user = userEvent.setup();
    await user.click(within(toast).getByRole('button', { name: 'Undo' }));
    expect(onUndo).toHaveBeenCalledWith('ses_a');
    await user.click(within(toast).getByRole('button', { name: 'Delete “Trip to Rome” now' }));
    expect(onDismiss).toHaveBeenCalledWith('ses_a');
  });
});
