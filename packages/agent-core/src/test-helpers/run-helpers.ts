import { parseEvent, type AnyEvent, type EventBus } from '@switchboard/events';
import { expect } from 'vitest';
import type { RunHandle, RunResult } from '../agent/run-handle.js';

/** Collects a run's events and its result. */
export async function collect(
  run: RunHandle,
): Promise<{ events: AnyEvent[]; result: RunResult; types: string[] }> {
  const events: AnyEvent[] = [];
  for await (const event of run) events.push(event);
  const result = await run.result;
  return { events, result, types: events.map((event) => event.type) };
}

/** Records every event on a bus, and checks the contract on each. */
export function recordBus(bus: EventBus): AnyEvent[] {
  const events: AnyEvent[] = [];
  bus.on('*', (event) => {
    parseEvent(event); // every emitted event must satisfy the contract
    events.push(event);
  });
  return events;
}

/** seq is contiguous from `first` and ts never decreases. */
export function expectContiguous(events: readonly AnyEvent[], first = 1): void {
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + first));
  for (let index = 1; index < events.length; index++)
    expect(events[index]!.ts).toBeGreaterThanOrEqual(events[index - 1]!.ts);
}

/** Waits until `predicate` holds (polling), or fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('waitFor timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The `data` of the first event of `type`. */
export function dataOf<T = Record<string, unknown>>(events: readonly AnyEvent[], type: string): T {
  const event = events.find((candidate) => candidate.type === type);
  if (!event) throw new Error(`no ${type} event among: ${events.map((e) => e.type).join(', ')}`);
  return event.data as T;
}
