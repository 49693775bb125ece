import type { AnyEvent } from '@switchboard/events';

/** `data` of an event, loosely typed for assertions. */
export const data = (event: AnyEvent) => event.data as Record<string, unknown>;

/** The `state` of each event of `type`, in order. */
export const statesOf = (events: AnyEvent[], type: string) =>
  events.filter((event) => event.type === type).map((event) => data(event).state);

/** Final transcript texts, in order. */
export const finals = (events: AnyEvent[]) =>
  events
    .filter((event) => event.type === 'voice.transcript' && data(event).final === true)
    .map((event) => data(event).text);

/** User message texts (the runs' inputs), in order. */
export const userMessages = (events: AnyEvent[]) =>
  events
    .filter((event) => event.type === 'user.message')
    .map((event) => (data(event).parts as { text: string }[])[0]!.text);
