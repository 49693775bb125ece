import { render } from '@testing-library/react';
import {
  reduceEvents,
  type AnyEvent,
  type SessionView,
  type ViewItem,
} from '@switchboard/events/client';
import { ChatActionsContext, type ChatActions } from '../components/chat-actions.js';
import { TimelineItem } from '../components/timeline-item.js';

/** The view of `events`, through the shared reducer (the one the app uses). */
export function viewOf(events: readonly AnyEvent[]): SessionView {
  return reduceEvents(events);
}

/** Renders every item of a view as the timeline does (without the virtual list). */
export function renderTimeline(view: SessionView, actions?: Partial<ChatActions>) {
  const value: ChatActions = {
    approve: actions?.approve ?? (() => Promise.resolve()),
    answer: actions?.answer ?? (() => Promise.resolve()),
  };
  return render(
    <ChatActionsContext.Provider value={value}>
      {view.items.toArray().map((item: ViewItem, index) => (
        <TimelineItem
          key={index}
          item={item}
          approvals={view.approvals}
          clarifications={view.clarifications}
        />
      ))}
    </ChatActionsContext.Provider>,
  );
}

/** An event of session `ses_t`, run `run_t`, numbered by `seq`. */
export function event(seq: number, type: string, data: unknown): AnyEvent {
  return { v: 1, type, seq, ts: 1_000_000 + seq * 10, sessionId: 'ses_t', runId: 'run_t', data };
}
