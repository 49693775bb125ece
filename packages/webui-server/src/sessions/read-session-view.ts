import {
  initialSessionView,
  reduceEvents,
  toSessionViewJson,
  type EventLog,
  type SessionViewJson,
} from '@switchboard/events';

/** Events read from the log per page while building a view. */
const PAGE = 1000;

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
  return { view: toSessionViewJson({ ...view, caughtUp: true }), headSeq: view.lastSeq };
}
