import { ItemIndex, itemKey } from './item-index.js';
import { ViewList } from './view-list.js';
import type {
  ReasoningItem,
  RunView,
  SessionView,
  StreamStatus,
  ToolCallItem,
  ViewItem,
} from './session-view.js';
import { withoutUndefined } from './view-helpers.js';

// Timeline operations of the reducer. Each touches one item: O(log32 n).

/** Where an item came from: its run and the `ts` of the event that created it. */
export interface ItemScope {
  readonly runId?: string;
  readonly parentRunId?: string;
  readonly startedAt: number;
}

/** `item` stamped with its scope (absent fields omitted). */
export function scoped<T extends ViewItem>(item: T, scope: ItemScope): T {
  return withoutUndefined({ ...item, ...withoutUndefined(scope) });
}

/** A text delta for a message or reasoning block; opens the item if its start was missed. */
export function streamText(
  state: SessionView,
  text: { kind: 'message' | 'reasoning'; id: string; delta: string },
  scope: ItemScope,
): SessionView {
  const { kind, id, delta } = text;
  const key = `${kind}:${id}`;
  if (state.itemIndex.find(state.items, key) === -1) {
    // Joined mid-stream (or the start was lost): open the item on its first delta.
    const fresh: ViewItem =
      kind === 'message'
        ? { kind, id, role: 'assistant', text: '', status: 'streaming', startedAt: 0 }
        : { kind, id, text: '', status: 'streaming', startedAt: 0 };
    state = upsert(state, scoped(fresh, scope), true);
  }
  if (delta.length === 0) return state;
  return update(state, key, (item) =>
    item.kind === 'message' || item.kind === 'reasoning'
      ? { ...item, text: item.text + delta }
      : item,
  );
}

/** The end of a message or reasoning block: its full text and how it ended. */
export function endText(
  state: SessionView,
  end: {
    kind: 'message' | 'reasoning';
    id: string;
    data: { text?: string; status?: StreamStatus; redacted?: boolean; spokenMs?: number };
  },
  scope: ItemScope,
): SessionView {
  const { kind, id, data } = end;
  const key = `${kind}:${id}`;
  const opened = streamText(state, { kind, id, delta: '' }, scope);
  const next = update(opened, key, (item) => {
    if (item.kind !== 'message' && item.kind !== 'reasoning') return item;
    const text = data.text ?? item.text;
    const status = data.status ?? 'completed';
    if (item.kind === 'message')
      return data.spokenMs === undefined
        ? { ...item, text, status }
        : { ...item, text, status, spokenMs: data.spokenMs };
    // How long the model thought: from the block's first event to its end.
    const durationMs = Math.max(0, scope.startedAt - item.startedAt);
    const ended: ReasoningItem = { ...item, text, status, durationMs };
    return data.redacted ? { ...ended, redacted: true } : ended;
  });
  return close(next, key);
}

/**
 * Appends `item` unless an item with its key exists (a duplicate start);
 * `streaming` items are tracked as open until they reach a terminal status.
 */
export function upsert(state: SessionView, item: ViewItem, streaming: boolean): SessionView {
  const key = itemKey(item);
  if (key !== undefined && state.itemIndex.find(state.items, key) !== -1) return state;
  const next = push(state, item);
  return streaming ? { ...next, open: [...next.open, next.items.size - 1] } : next;
}

/** Appends `item` and records its position. */
export function push(state: SessionView, item: ViewItem): SessionView {
  const key = itemKey(item);
  if (key !== undefined) state.itemIndex.remember(key, state.items.size);
  return { ...state, items: state.items.push(item) };
}

/** Replaces the item with `key` by `change(item)`; unchanged when absent. */
export function update(
  state: SessionView,
  key: string,
  change: (item: ViewItem) => ViewItem,
): SessionView {
  const position = state.itemIndex.find(state.items, key);
  const item = state.items.get(position);
  if (item === undefined) return state;
  const changed = change(item);
  return changed === item ? state : { ...state, items: state.items.set(position, changed) };
}

/** {@link update} for a tool call. */
export function updateTool(
  state: SessionView,
  toolCallId: string,
  change: (call: ToolCallItem) => ToolCallItem,
): SessionView {
  return update(state, `tool_call:${toolCallId}`, (item) =>
    item.kind === 'tool_call' ? change(item) : item,
  );
}

/** What a tool event says about its call besides the id (contract 1.1; absent in older events). */
export interface ToolIdentity {
  readonly toolCallId: string;
  readonly toolName?: string | undefined;
  readonly title?: string | undefined;
  readonly kind?: string | undefined;
}

/**
 * {@link updateTool} for an event after `tool_call.started`: the event's own
 * name, title and kind win over what the item has. A call whose start was
 * missed (the stream joined mid-call) is opened from an event that names its
 * tool, with status `missed`; events of older producers carry no name, so
 * without their start they still change nothing.
 */
export function updateNamedTool(
  state: SessionView,
  target: {
    readonly identity: ToolIdentity;
    /** Status of a call opened here because its start was missed. */
    readonly missedStatus: ToolCallItem['status'];
    readonly scope: ItemScope;
  },
  change: (call: ToolCallItem) => ToolCallItem,
): SessionView {
  const { toolCallId, toolName, title, kind } = target.identity;
  if (
    toolName !== undefined &&
    state.itemIndex.find(state.items, `tool_call:${toolCallId}`) === -1
  ) {
    const fresh: ToolCallItem = {
      kind: 'tool_call',
      id: toolCallId,
      toolName,
      status: target.missedStatus,
      argsText: '',
      startedAt: 0,
    };
    state = upsert(state, scoped(fresh, target.scope), true);
  }
  return updateTool(state, toolCallId, (call) => {
    const same =
      (toolName === undefined || toolName === call.toolName) &&
      (title === undefined || title === call.title) &&
      (kind === undefined || kind === call.toolKind);
    if (same) return change(call);
    return change(
      withoutUndefined({
        ...call,
        toolName: toolName ?? call.toolName,
        title: title ?? call.title,
        toolKind: kind ?? call.toolKind,
      }),
    );
  });
}

/** Changes the current run, if `runId` is it. */
export function updateRun(
  state: SessionView,
  runId: string | undefined,
  change: (run: RunView) => RunView,
): SessionView {
  if (state.run === undefined || runId !== state.run.runId) return state;
  return { ...state, run: change(state.run) };
}

/** Drops the item with `key` from the open list (it reached a terminal status). */
export function close(state: SessionView, key: string): SessionView {
  const position = state.itemIndex.find(state.items, key);
  if (!state.open.includes(position)) return state;
  return { ...state, open: state.open.filter((open) => open !== position) };
}

/**
 * A run ended: what it still streamed ends with it. Tool calls awaiting an
 * approval stay open (a resume run continues them); anything else still
 * running is settled by how the run ended.
 */
export function closeOpen(state: SessionView, how: string): SessionView {
  const textStatus: StreamStatus =
    how === 'failed' || how === 'cancelled' || how === 'interrupted' ? how : 'completed';
  let items = state.items;
  const open: number[] = [];
  for (const position of state.open) {
    const item = items.get(position);
    if (item === undefined) continue;
    if (item.runId !== state.run?.runId && item.parentRunId === undefined) {
      open.push(position);
    } else if (item.kind === 'message' || item.kind === 'reasoning') {
      items = items.set(position, { ...item, status: textStatus });
    } else if (item.kind === 'tool_call' && item.status !== 'awaiting_approval') {
      items = items.set(position, { ...item, status: how === 'failed' ? 'failed' : 'cancelled' });
    } else {
      open.push(position);
    }
  }
  return { ...state, items, open };
}

/**
 * Drops every item of run `runId` (a withdrawn run leaves nothing behind).
 * Positions move, so the list and its index are rebuilt: O(n), once per
 * withdrawn run.
 */
export function dropRunItems(state: SessionView, runId: string): SessionView {
  const kept: ViewItem[] = [];
  const open: number[] = [];
  const itemIndex = new ItemIndex();
  let position = 0;
  for (const item of state.items) {
    const was = position++;
    if (item.runId === runId || item.parentRunId === runId) continue;
    if (state.open.includes(was)) open.push(kept.length);
    const key = itemKey(item);
    if (key !== undefined) itemIndex.remember(key, kept.length);
    kept.push(item);
  }
  return { ...state, items: ViewList.from(kept), itemIndex, open };
}
