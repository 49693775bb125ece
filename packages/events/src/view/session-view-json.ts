import { EventsError } from '../errors/events-error.js';
import { ItemIndex, itemKey } from './item-index.js';
import type { SessionView, TurnUsage, ViewItem } from './session-view.js';
import { isStoredSessionView, type StoredSessionView } from './session-view-shape.js';
import { ZERO_USAGE } from './view-helpers.js';
import { ViewList } from './view-list.js';

/** Issues named in an error's message; `details.issues` holds up to {@link MAX_ISSUES}. */
const ISSUES_IN_MESSAGE = 3;
const MAX_ISSUES = 20;

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

/**
 * A view rebuilt from its JSON form, to render at once and to keep reducing
 * from: a client that loads a long session's stored view (and its `headSeq`)
 * streams only the events after it instead of replaying the whole log. O(n)
 * once: the JSON is checked, and the lists and the item index are rebuilt.
 *
 * Every field of the view and of each timeline item is checked against its
 * type (item fields per `kind`; fields the view does not know are kept as
 * they are). `open`, `turns`, `approvals`, `clarifications`, `runCount`,
 * `usage` and `caughtUp` may be absent and read as empty.
 *
 * @throws EventsError `EVENTS_INVALID_VIEW` when `json` is not a view (a
 *   server of another version, a truncated answer); `details.issues` lists
 *   what is wrong as `path: expected …` lines (the first 20).
 * @see sessionViewFromJson for the form that answers undefined instead.
 */
export function parseSessionViewJson(json: unknown): SessionView {
  const issues: string[] = [];
  if (!isStoredSessionView(json, issues)) {
    const more = issues.length > ISSUES_IN_MESSAGE ? ` (${issues.length} issues)` : '';
    throw new EventsError({
      code: 'EVENTS_INVALID_VIEW',
      message: `Invalid session view: ${issues.slice(0, ISSUES_IN_MESSAGE).join('; ')}${more}`,
      details: { issues: issues.slice(0, MAX_ISSUES) },
    });
  }
  return fromStored(json);
}

/**
 * {@link parseSessionViewJson}, answering undefined instead of throwing when
 * `json` is not a view: the caller then replays the events instead.
 */
export function sessionViewFromJson(json: unknown): SessionView | undefined {
  return isStoredSessionView(json, []) ? fromStored(json) : undefined;
}

/** The view of checked JSON: defaults filled in, the lists and the item index rebuilt. */
function fromStored(json: StoredSessionView): SessionView {
  const {
    items,
    turns = [],
    open = [],
    approvals = [],
    clarifications = [],
    runCount = 0,
    usage = ZERO_USAGE,
    caughtUp = false,
    ...rest
  } = json;
  const itemIndex = new ItemIndex();
  items.forEach((item, position) => {
    const key = itemKey(item);
    if (key !== undefined) itemIndex.remember(key, position);
  });
  return {
    ...rest,
    caughtUp,
    items: ViewList.from(items),
    itemIndex,
    open,
    approvals,
    clarifications,
    runCount,
    turns: ViewList.from(turns),
    usage,
  };
}
