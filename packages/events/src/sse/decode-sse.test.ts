import { describe, expect, it } from 'vitest';
import { SseParser, decodeSseStream, type SseFrame } from './decode-sse.js';

const parseAll = (chunks: readonly string[]): SseFrame[] => {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.feed(chunk));
};

const bytesStream = (chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

const collect = async (body: ReadableStream<Uint8Array>): Promise<SseFrame[]> => {
  const frames: SseFrame[] = [];
  for await (const frame of decodeSseStream(body)) frames.push(frame);
  return frames;
};

const tricky =
  '\uFEFF: comment\r\nretry: 1500\r\n\r\nid: 1\r\nevent: custom\r\ndata: first\r\ndata:second\r\ndata:  third\r\n\r\n' +
  'data\rid\r\r' + // field without colon, empty id resets
  'id: 3\ndata: {"x":"h\u00e9llo \u{1F600}"}\n\n' +
  ': ping\n\n' +
  'id: a\0b\ndata: nul-id\n\n' +
  'retry: 10x\ndata: bad-retry\n\n' +
  'unknown: field\ndata: last\n\n' +
  'data: never dispatched';

const trickyFrames: SseFrame[] = [
  { data: '', retry: 1500 },
  { id: '1', event: 'custom', data: 'first\nsecond\n third' },
  { id: '', data: '' },
  { id: '3', data: '{"x":"h\u00e9llo \u{1F600}"}' },
  { data: 'nul-id' },
  { data: 'bad-retry' },
  { data: 'last' },
];

describe('SseParser', () => {
  it('parses a tricky stream in one chunk', () => {
    expect(parseAll([tricky])).toEqual(trickyFrames);
  });

  it('gives the same frames when fed one character at a time', () => {
    expect(parseAll([...tricky])).toEqual(trickyFrames);
  });

  it('gives the same frames for every two-way split', () => {
    for (let at = 0; at <= tricky.length; at++) {
      expect(parseAll([tricky.slice(0, at), '', tricky.slice(at)])).toEqual(trickyFrames);
    }
  });

  it('treats CR, LF and CRLF alike, including a CRLF split across chunks', () => {
    expect(parseAll(['data: a\r', '\ndata: b\r', '\r', '\n'])).toEqual([{ data: 'a\nb' }]);
    expect(parseAll(['data: a\r\rdata: b\n\n'])).toEqual([{ data: 'a' }, { data: 'b' }]);
    // CR then an empty chunk then LF: still one line break.
    expect(parseAll(['data: a\r', '', '\n', '\n'])).toEqual([{ data: 'a' }]);
  });

  it('drops only one leading BOM', () => {
    expect(parseAll(['\uFEFF\uFEFFdata: x\n\n'])).toEqual([]); // second BOM makes the field name unknown
    expect(parseAll(['\uFEFF', 'data: x\n\n'])).toEqual([{ data: 'x' }]);
    expect(parseAll(['data: \uFEFFx\n\n'])).toEqual([{ data: '\uFEFFx' }]);
  });

  it('keeps lastEventId across blocks until an id line changes it, and resets it on an empty id', () => {
    const parser = new SseParser();
    parser.feed('id: 5\ndata: a\n\n');
    expect(parser.lastEventId).toBe('5');
    expect(parser.feed('data: b\n\n')).toEqual([{ data: 'b' }]);
    expect(parser.lastEventId).toBe('5');
    parser.feed('id: 6\0\ndata: c\n\n');
    expect(parser.lastEventId).toBe('5');
    expect(parser.feed('id\ndata: d\n\n')).toEqual([{ id: '', data: 'd' }]);
    expect(parser.lastEventId).toBe('');
  });

  it('accepts a data line with an empty value as a message with empty data', () => {
    expect(parseAll(['data\n\ndata:\ndata:\n\n'])).toEqual([{ data: '' }, { data: '\n' }]);
  });

  it('ignores comment-only blocks and an unterminated last block', () => {
    expect(parseAll([': ping\n\n:\n\n', 'data: x\n'])).toEqual([]);
  });

  it('forgets a half-read block on reset but keeps lastEventId', () => {
    const parser = new SseParser();
    parser.feed('id: 9\ndata: a\n\ndata: half');
    parser.reset();
    expect(parser.feed('\uFEFFdata: b\n\n')).toEqual([{ data: 'b' }]);
    expect(parser.lastEventId).toBe('9');
  });
});

describe('decodeSseStream', () => {
  it('reassembles UTF-8 split inside a character, byte by byte', async () => {
    const text = '\uFEFFid: 1\r\ndata: h\u00e9llo \u{1F600} \u4e16\u754c\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    expect(bytes[0]).toBe(0xef); // the BOM really is in the byte stream
    const frames = await collect(bytesStream([...bytes].map((byte) => Uint8Array.of(byte))));
    expect(frames).toEqual([{ id: '1', data: 'h\u00e9llo \u{1F600} \u4e16\u754c' }]);
  });

  it('drops one BOM only, as the spec says', async () => {
    const bytes = new TextEncoder().encode('\uFEFFdata: x\n\n');
    expect(await collect(bytesStream([bytes]))).toEqual([{ data: 'x' }]);
    const twice = new TextEncoder().encode('\uFEFF\uFEFFdata: x\n\n');
    expect(await collect(bytesStream([twice]))).toEqual([]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: tick\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    let count = 0;
    for await (const frame of decodeSseStream(body)) {
      expect(frame.data).toBe('tick');
      if (++count === 3) break;
    }
    expect(cancelled).toBe(true);
  });

  it('surfaces a body error', async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(new TextEncoder().encode('data: a\n\ndata: torn'));
        else controller.error(new Error('socket hang up'));
      },
    });
    const seen: string[] = [];
    await expect(async () => {
      for await (const frame of decodeSseStream(body)) seen.push(frame.data);
    }).rejects.toThrow('socket hang up');
    expect(seen).toEqual(['a']);
  });
});

describe('SseParser size limit', () => {
  it('throws EVENTS_SSE_PROTOCOL when one block grows past maxBlockChars, in one line or many', () => {
    const oneLine = new SseParser({ maxBlockChars: 100 });
    expect(() => oneLine.feed(`data: ${'x'.repeat(60)}`)).not.toThrow();
    expect(() => oneLine.feed('y'.repeat(60))).toThrow(
      expect.objectContaining({ code: 'EVENTS_SSE_PROTOCOL' }),
    );
    const manyLines = new SseParser({ maxBlockChars: 100 });
    expect(() => manyLines.feed('data: 0123456789\n'.repeat(10))).toThrow(/exceeded 100/);
  });

  it('counts each block on its own', () => {
    const parser = new SseParser({ maxBlockChars: 100 });
    for (let i = 0; i < 50; i++) expect(parser.feed(`data: ${'x'.repeat(80)}\n\n`)).toHaveLength(1);
  });

  it('returns the frames completed before an oversized block in the same chunk, then throws', () => {
    const parser = new SseParser({ maxBlockChars: 100 });
    const frames = parser.feed(`id: 1\ndata: ok\n\ndata: ${'x'.repeat(200)}\n\n`);
    expect(frames).toEqual([{ id: '1', data: 'ok' }]);
    expect(() => parser.feed('')).toThrow(
      expect.objectContaining({
        code: 'EVENTS_SSE_PROTOCOL',
        details: expect.objectContaining({ limit: 100 }),
      }),
    );
    expect(parser.feed('data: again\n\n')).toEqual([{ data: 'again' }]);
  });
});
