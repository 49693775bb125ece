import { describe, expect, it } from 'vitest';
import type { AnyEvent } from '../schema/agent-event.js';
import { SseParser } from './decode-sse.js';
import { encodeSseComment, encodeSseEvent, encodeSseOpened, encodeSseRetry } from './encode-sse.js';
import { SSE_HEADERS } from './sse-headers.js';
import { streamOpenedSchema } from './transport-events.js';

const delta = (text: string): AnyEvent => ({
  v: 1,
  type: 'message.delta',
  seq: 7,
  ts: 1000,
  sessionId: 's1',
  runId: 'r1',
  data: { messageId: 'm1', delta: text },
});

describe('encodeSseEvent', () => {
  it('writes id and one data line, without an event line', () => {
    expect(encodeSseEvent(delta('Hi'))).toMatchInlineSnapshot(`
      "id: 7
      data: {"v":1,"type":"message.delta","seq":7,"ts":1000,"sessionId":"s1","runId":"r1","data":{"messageId":"m1","delta":"Hi"}}

      "
    `);
  });

  it('never puts a raw line break inside the data line', () => {
    const frame = encodeSseEvent(delta('a\nb\r\nc\rd\u2028e'));
    expect(frame.split('\n')).toHaveLength(4); // id, data, blank, ''
    expect(frame).not.toContain('\r');
    const [parsed] = new SseParser().feed(frame);
    expect(JSON.parse(parsed!.data)).toEqual(delta('a\nb\r\nc\rd\u2028e'));
    expect(parsed!.id).toBe('7');
  });

  it('escapes lone surrogates so the frame is valid UTF-8', () => {
    const frame = encodeSseEvent(delta('x\ud800y'));
    expect(frame).toContain('x\\ud800y');
  });
});

describe('control frames', () => {
  it('writes a comment, splitting lines', () => {
    expect(encodeSseComment('ping')).toBe(': ping\n\n');
    expect(encodeSseComment('a\nb')).toBe(': a\n: b\n\n');
    expect(new SseParser().feed(encodeSseComment('a\r\nb'))).toEqual([]);
  });

  it('writes retry and rejects non-integers', () => {
    expect(encodeSseRetry(3000)).toBe('retry: 3000\n\n');
    expect(encodeSseRetry(0)).toBe('retry: 0\n\n');
    expect(() => encodeSseRetry(-1)).toThrow(
      expect.objectContaining({ code: 'EVENTS_INVALID_OPTIONS' }),
    );
    expect(() => encodeSseRetry(1.5)).toThrow(
      expect.objectContaining({ code: 'EVENTS_INVALID_OPTIONS' }),
    );
  });

  it('writes stream.opened without an id line', () => {
    const frame = encodeSseOpened({ headSeq: 41, sessionId: 's1' });
    expect(frame).toMatchInlineSnapshot(`
      "data: {"v":1,"type":"stream.opened","data":{"headSeq":41,"sessionId":"s1"}}

      "
    `);
    expect(encodeSseOpened()).toBe('data: {"v":1,"type":"stream.opened","data":{}}\n\n');
    const parser = new SseParser();
    const [parsed] = parser.feed(frame);
    expect(parsed!.id).toBeUndefined();
    expect(parser.lastEventId).toBe('');
    expect(streamOpenedSchema.parse(JSON.parse(parsed!.data)).data).toEqual({
      headSeq: 41,
      sessionId: 's1',
    });
  });
});

describe('SSE_HEADERS', () => {
  it('disables caching and proxy buffering and names the contract version', () => {
    expect(SSE_HEADERS).toMatchInlineSnapshot(`
      {
        "cache-control": "no-cache, no-transform",
        "connection": "keep-alive",
        "content-type": "text/event-stream; charset=utf-8",
        "x-accel-buffering": "no",
        "x-switchboard-events": "1",
      }
    `);
    expect(Object.isFrozen(SSE_HEADERS)).toBe(true);
  });
});
