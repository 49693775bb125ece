import {
  initialSessionView,
  reduceEvents,
  type EventLog,
  type SessionView,
  type ViewItem,
} from '@switchboard/events';

/** Events read from the log per page while building a view. */
const PAGE = 1000;

/** A {@link SessionView} as JSON: the timeline as an array, without the internal item index. */
export type SessionViewJson = Omit<SessionView, 'items' | 'itemIndex'> & { items: ViewItem[] };

/**
 * The session's view, reduced from its whole event log with the shared
 * reducer (the same one every client runs), and the `seq` it reaches: a
 * client continues live with `GET …/events?after=<headSeq>`, without gaps or
 * duplicates.
 */
export async function readSessionView(
  log: EventLog,
  sessionId: string,
): Promise<{ view: SessionViewJson; headSeq: number }> {
  let view = initialSessionView();
  for (;;) {
    const page = await log.read(sessionId, view.lastSeq, PAGE);
    view = reduceEvents(page, view);
    if (page.length < PAGE) break;
  }
  const { items, itemIndex: _index, ...rest } = view;
  return { view: { ...rest, caughtUp: true, items: items.toArray() }, headSeq: view.lastSeq };
}
