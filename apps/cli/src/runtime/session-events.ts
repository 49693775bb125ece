import type { AnyEvent, EventLog } from '@switchboard/events';

const PAGE = 1000;

/** Every stored event of a session, in order (read page by page). */
export async function readSessionEvents(log: EventLog, sessionId: string): Promise<AnyEvent[]> {
  const events: AnyEvent[] = [];
  for (;;) {
    const page = await log.read(sessionId, events.at(-1)?.seq ?? 0, PAGE);
    events.push(...page);
    if (page.length < PAGE) return events;
  }
}
