import { ItemIndex, itemKey } from './item-index.js';
import type { SessionView, TurnUsage, ViewItem } from './session-view.js';
import { ZERO_USAGE, isRecord } from './view-helpers.js';
import { ViewList } from './view-list.js';

/**
 * A {@link SessionView} as JSON, as a server sends it (`GET /api/sessions/:id`
 * of the web app): the timeline and the turns as arrays, without the internal
 * item index.
 */
export type SessionViewJson = Omit<SessionView, 'items' | 'itemIndex' | 'turns'> & {
  readonly items: readonly ViewItem[];
  readonly turns: readonly TurnUsage[];
};

/** The JSON form of `view` (what {@link sessionViewFromJson} reads back). */
export function toSessionViewJson(view: SessionView): SessionViewJson {
  const { items, itemIndex: _index, turns, ...rest } = view;
  return { ...rest, items: items.toArray(), turns: turns.toArray() };
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * A view rebuilt from its JSON form, to render at once and to keep reducing
 * from: a client that loads a long session's stored view (and its `headSeq`)
 * streams only the events after it instead of replaying the whole log. O(n)
 * once: the lists and the item index are rebuilt.
 *
 * Returns undefined when `json` is not a view (a server of another version, a
 * truncated answer): the caller then replays the events instead. Like
 * {@link reduceSession}, it checks the shape it relies on, not every field of
 * every item; the JSON should come from the app's own server.
 */
export function sessionViewFromJson(json: unknown): SessionView | undefined {
  if (!isRecord(json) || !isCount(json.lastSeq) || !Array.isArray(json.items)) return undefined;
  const raw: readonly unknown[] = json.items;
  const itemIndex = new ItemIndex();
  const items: ViewItem[] = [];
  for (const item of raw) {
    if (!isRecord(item) || typeof item.kind !== 'string') return undefined;
    if (item.id !== undefined && typeof item.id !== 'string') return undefined;
    const key = itemKey({ kind: item.kind, ...(item.id === undefined ? {} : { id: item.id }) });
    if (key !== undefined) itemIndex.remember(key, items.length);
    // Checked above: a record with a string kind (and id); the rest is the server's view.
    items.push(item as unknown as ViewItem);
  }
  const open = json.open ?? [];
  if (!Array.isArray(open) || !open.every((at) => isCount(at) && at < items.length))
    return undefined;
  const turns = json.turns ?? [];
  const approvals = json.approvals ?? [];
  const clarifications = json.clarifications ?? [];
  if (![turns, approvals, clarifications].every(Array.isArray)) return undefined;
  if (json.headSeq !== undefined && !isCount(json.headSeq)) return undefined;
  const { items: _items, turns: _turns, itemIndex: _index, ...rest } = json;
  return {
    ...rest,
    lastSeq: json.lastSeq,
    caughtUp: json.caughtUp === true,
    items: ViewList.from(items),
    itemIndex,
    open: open as number[],
    approvals: approvals as SessionView['approvals'],
    clarifications: clarifications as SessionView['clarifications'],
    runCount: isCount(json.runCount) ? json.runCount : 0,
    turns: ViewList.from(turns as TurnUsage[]),
    usage: isRecord(json.usage) ? (json.usage as unknown as SessionView['usage']) : ZERO_USAGE,
  };
}
