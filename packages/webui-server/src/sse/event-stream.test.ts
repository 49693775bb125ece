import { SSE_HEADERS, connectEventStream, type AnyEvent } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { readEvents, readRawFor } from '../test-helpers/sse-client.js';
import { startListeningServer } from '../test-helpers/listening-server.js';
import { runEnded, waitForEvent } from '../test-helpers/test-server.js';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const listening = startListeningServer;

const chunks = (count: number) => Array.from({ length: count }, (_, i) => `w${i} `);
const isEnd = (runId: string) => (event: AnyEvent) => runEnded(runId)(event);

describe('GET /api/sessions/:id/events over a real port', () => {
  it('sends the SSE headers (never Connection: close), retry, then stream.opened with headSeq', async () => {
    await using s = await listening([]);
    const id = await s.newSession();
    const { text, response } = await readRawFor(`${s.base}/api/sessions/${id}/events`, 300);
    expect(response.status).toBe(200);
    for (const [name, value] of Object.entries(SSE_HEADERS))
      expect(response.headers.get(name)).toBe(value);
    expect(response.headers.get('connection')).not.toBe('close');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(
      text.startsWith(
        `retry: 1000\n\ndata: {"v":1,"type":"stream.opened","data":{"headSeq":1,"sessionId":"${id}"}}\n\nid: 1\ndata: {"v":1,"type":"session.started"`,
      ),
    ).toBe(true);
  });

  it('T34 resumes after a dropped connection with Last-Event-ID: every event exactly once, in order', async () => {
    await using s = await listening([{ text: chunks(40), delayMs: 15 }]);
    const id = await s.newSession();
    const runId = await s.startRun(id, 'tell me');
    const seqs: number[] = [];
    const opened: Array<number | undefined> = [];
    const errors: string[] = [];
    let dropped = false;
    for await (const event of connectEventStream(`${s.base}/api/sessions/${id}/events`, {
      retryMs: 10,
      minRetryMs: 10,
      onOpen: (data) => opened.push(data.headSeq),
      onError: (error) => errors.push(error.code),
    })) {
      seqs.push(event.seq);
      if (!dropped && event.type === 'message.delta' && seqs.length > 12) {
        dropped = true;
        for (const socket of s.sockets) socket.destroy(); // the network drops mid-run
      }
      if (isEnd(runId)(event)) break;
    }
    expect(dropped).toBe(true);
    expect(opened.length).toBeGreaterThanOrEqual(2); // it reconnected
    expect(errors).toContain('EVENTS_SSE_PROTOCOL');
    expect(seqs).toEqual(range(1, seqs.length)); // nothing lost, nothing twice
    const deltas = seqs.length;
    expect(deltas).toBeGreaterThan(40);
  });

  it('T34 Last-Event-ID: n gives exactly the events after n, and wins over ?after=', async () => {
    await using s = await listening([{ text: ['a', 'b', 'c'] }]);
    const id = await s.newSession();
    const runId = await s.startRun(id, 'go');
    await waitForEvent(s.t.log, id, runEnded(runId));
    const all = await readEvents(`${s.base}/api/sessions/${id}/events`, { until: isEnd(runId) });
    const end = all.events.at(-1)!.seq;
    const resumed = await readEvents(`${s.base}/api/sessions/${id}/events?after=1`, {
      headers: { 'last-event-id': '5' },
      until: isEnd(runId),
    });
    expect(resumed.events.map((event) => event.seq)).toEqual(range(6, end));
    const byQuery = await readEvents(`${s.base}/api/sessions/${id}/events?after=3`, {
      until: isEnd(runId),
    });
    expect(byQuery.events.map((event) => event.seq)).toEqual(range(4, end));
  });

  it('two subscribers (two tabs) both get every event; none is stolen', async () => {
    await using s = await listening([{ text: chunks(20), delayMs: 10 }]);
    const id = await s.newSession();
    const url = `${s.base}/api/sessions/${id}/events`;
    // Both tabs are open before the run starts (the session has only this one run).
    setTimeout(() => void s.startRun(id, 'go'), 100);
    const until = (event: AnyEvent) => event.type === 'run.finished';
    const [a, b] = await Promise.all([readEvents(url, { until }), readEvents(url, { until })]);
    expect(a.events.length).toBeGreaterThan(20);
    expect(a.events.map((event) => event.seq)).toEqual(b.events.map((event) => event.seq));
    expect(a.events.map((event) => event.seq)).toEqual(range(1, a.events.length));
  });

  it('T02 sends a heartbeat comment at least every heartbeatMs on an idle stream, and stays open', async () => {
    await using s = await listening([], { server: { heartbeatMs: 50 } });
    const id = await s.newSession();
    const { text } = await readRawFor(`${s.base}/api/sessions/${id}/events`, 600);
    const pings = text.split('\n\n').filter((frame) => frame === ': ping').length;
    expect(pings).toBeGreaterThanOrEqual(3); // ~11 expected; generous for a loaded machine
  });

  it('T04 a reconnect after the run ended replays through its terminal event', async () => {
    await using s = await listening([{ text: 'done' }]);
    const id = await s.newSession();
    const runId = await s.startRun(id, 'go');
    await waitForEvent(s.t.log, id, runEnded(runId));
    const late = await readEvents(`${s.base}/api/sessions/${id}/events`, {
      headers: { 'last-event-id': '2' },
      until: isEnd(runId),
    });
    expect(late.events.at(-1)).toMatchObject({
      type: 'run.finished',
      runId,
      data: { stopReason: 'completed' },
    });
    expect(late.opened?.headSeq).toBe(late.events.at(-1)!.seq);
  });

  it('a disconnect never cancels the run', async () => {
    await using s = await listening([{ text: chunks(10), delayMs: 30 }]);
    const id = await s.newSession();
    const runId = await s.startRun(id, 'go');
    // The only subscriber leaves after the first delta.
    await readEvents(`${s.base}/api/sessions/${id}/events`, {
      until: (event) => event.type === 'message.delta',
    });
    const end = await waitForEvent(s.t.log, id, runEnded(runId));
    expect(end.data).toMatchObject({ stopReason: 'completed' });
  });

  it('T29 two sessions stream at once, each stream carries only its own session', async () => {
    await using s = await listening(() => ({ text: chunks(10), delayMs: 10 }));
    const [a, b] = [await s.newSession(), await s.newSession()];
    const [runA, runB] = [await s.startRun(a, 'A'), await s.startRun(b, 'B')];
    const [streamA, streamB] = await Promise.all([
      readEvents(`${s.base}/api/sessions/${a}/events`, { until: isEnd(runA) }),
      readEvents(`${s.base}/api/sessions/${b}/events`, { until: isEnd(runB) }),
    ]);
    expect(streamA.events.every((event) => event.sessionId === a)).toBe(true);
    expect(streamB.events.every((event) => event.sessionId === b)).toBe(true);
    expect(streamA.events.at(-1)!.data).toMatchObject({ stopReason: 'completed' });
    expect(streamB.events.at(-1)!.data).toMatchObject({ stopReason: 'completed' });
    const text = (events: AnyEvent[]) =>
      events
        .filter((event) => event.type === 'message.delta')
        .map((event) => (event.data as { delta: string }).delta)
        .join('');
    expect(text(streamA.events)).toBe(chunks(10).join(''));
    expect(text(streamB.events)).toBe(chunks(10).join(''));
  });

  it('a malformed cursor is 400 EVENTS_INVALID_CURSOR, one beyond the head 409; unknown session 404', async () => {
    await using s = await listening([]);
    const id = await s.newSession();
    const malformed = await fetch(`${s.base}/api/sessions/${id}/events`, {
      headers: { 'last-event-id': 'k3:1' },
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe(
      'EVENTS_INVALID_CURSOR',
    );
    const badQuery = await fetch(`${s.base}/api/sessions/${id}/events?after=-1`);
    expect(badQuery.status).toBe(400);
    const ahead = await fetch(`${s.base}/api/sessions/${id}/events?after=99`);
    expect(ahead.status).toBe(409);
    const unknown = await fetch(`${s.base}/api/sessions/ses_nope/events`);
    expect(unknown.status).toBe(404);
  });

  it('DELETE of the session ends its open streams with a final comment; a reconnect gets 404', async () => {
    await using s = await listening([]);
    const id = await s.newSession();
    const url = `${s.base}/api/sessions/${id}/events`;
    const open = async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      while (!text.includes('id: 1\n')) text += (await reader.read()).value ?? '';
      return { reader, read: () => text };
    };
    const tabs = [await open(), await open()]; // both have the session's first event
    const deleted = await fetch(`${s.base}/api/sessions/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    for (const tab of tabs) {
      let text = tab.read();
      for (;;) {
        const { value, done } = await tab.reader.read(); // ends, or the timeout fails the test
        if (done) break;
        text += value;
      }
      expect(text.endsWith(': session deleted\n\n')).toBe(true);
    }
    const again = await fetch(url);
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe(
      'CORE_SESSION_NOT_FOUND',
    );
  });

  it('with a token the stream needs the bearer header too', async () => {
    const token = 'stream-token-0123456789';
    await using s = await listening([], { server: { token } });
    const created = await fetch(`${s.base}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const { id } = (await created.json()) as { id: string };
    const refused = await fetch(`${s.base}/api/sessions/${id}/events`);
    expect(refused.status).toBe(401);
    const read = await readEvents(`${s.base}/api/sessions/${id}/events`, {
      headers: { authorization: `Bearer ${token}` },
      until: (event) => event.type === 'session.started',
    });
    expect(read.events).toHaveLength(1);
  });

  it('a foreign Host is refused over a real socket too', async () => {
    await using s = await listening([]);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${s.base}/api/health`);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          headers: { host: 'rebound.example:80' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});

describe('a slow client', () => {
  it('is paced by backpressure: the server buffers a bounded amount for it and it still gets every event in order', async () => {
    await using s = await listening([]);
    const id = await s.newSession();
    const response = await fetch(`${s.base}/api/sessions/${id}/events`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true }); // connected; now it stops reading
    const total = 12_000;
    const delta = 'x'.repeat(1_000); // ~12 MB of frames in all
    let maxBuffered = 0;
    const sample = () => {
      for (const socket of s.sockets) maxBuffered = Math.max(maxBuffered, socket.writableLength);
    };
    for (let index = 0; index < total; index++) {
      s.t.agent.bus.emit({
        type: 'message.delta',
        sessionId: id,
        runId: 'run_slow',
        data: { messageId: 'msg_slow', delta },
      });
      if (index % 500 === 0) {
        await s.t.agent.bus.flush();
        await new Promise((resolve) => setTimeout(resolve, 5));
        sample();
      }
    }
    await s.t.agent.bus.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    sample();
    // Without backpressure the socket would hold most of the 12 MB.
    console.log(`slow client: at most ${maxBuffered} bytes queued on its socket`);
    expect(maxBuffered).toBeLessThan(1024 * 1024);

    const seqs: number[] = [];
    while (seqs.at(-1) !== total + 1) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      const frames = text.split('\n\n');
      text = frames.pop()!;
      for (const frame of frames) {
        const match = /^id: (\d+)$/m.exec(frame);
        if (match) seqs.push(Number(match[1]));
      }
    }
    await reader.cancel();
    expect(seqs).toEqual(range(1, total + 1));
  });
});
