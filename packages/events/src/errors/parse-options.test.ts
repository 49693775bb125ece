import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventBus } from '../bus/event-bus.js';
import { JsonlSink } from '../node/jsonl/jsonl-sink.js';
import { createRedactor } from '../redaction/create-redactor.js';
import { createSseStream } from '../sse/create-sse-stream.js';
import { EventsError, parseEventsOptions } from './events-error.js';
import { optionsParser, parseOptions } from './parse-options.js';
import { SwitchboardError } from './switchboard-error.js';

describe('parseOptions', () => {
  const schema = z.strictObject({ port: z.number().int(), host: z.string() });

  it('lists every issue with its path, under the given code', () => {
    expect(() => parseOptions(schema, { port: 1.5, extra: true }, 'X_INVALID')).toThrow(
      expect.objectContaining({
        code: 'X_INVALID',
        message: expect.stringMatching(/port: .*; host: .*; \(root\): .*extra/),
      }),
    );
  });

  it('throws the error class it is given, a SwitchboardError by default', () => {
    const plain = captured(() => parseOptions(schema, {}, 'X_INVALID'));
    expect(SwitchboardError.isInstance(plain)).toBe(true);
    expect(plain).not.toBeInstanceOf(EventsError);
    expect(captured(() => parseEventsOptions(schema, {}))).toBeInstanceOf(EventsError);
    const custom = captured(() => optionsParser('EVENTS_INVALID_OPTIONS', EventsError)(schema, {}));
    expect(custom).toBeInstanceOf(EventsError);
  });

  it('every events factory throws EventsError for bad options', () => {
    for (const make of [
      () => new EventBus({ maxEventBytes: -1 }),
      () => createRedactor({ patterns: 'x' as never }),
      () => createSseStream((async function* () {})(), { keepAliveMs: -5 }),
    ]) {
      const error = captured(make);
      expect(error).toBeInstanceOf(EventsError);
      expect(error).toMatchObject({ code: 'EVENTS_INVALID_OPTIONS' });
    }
  });

  it('JsonlSink.open rejects with EventsError for bad options', async () => {
    const error = await JsonlSink.open('/tmp/never-created', { maxLineBytes: -1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EventsError);
    expect(error).toMatchObject({ code: 'EVENTS_INVALID_OPTIONS' });
  });
});

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
