// The seed inventory's transcript and context cases (research/001-inventory.md
// §10 C) over the HTTP API: the display transcript a reload shows and the
// model context sent to the provider stay consistent, and neither loses what
// the other dropped. INVENTORY.md maps every case (T25 and T26 do not apply).
import { MemorySessionStore } from '@switchboard/agent-core';
import { describe, expect, it } from 'vitest';
import { startListeningServer } from '../test-helpers/listening-server.js';
import { runEnded, storedEvents, waitForEvent } from '../test-helpers/test-server.js';

type Listening = Awaited<ReturnType<typeof startListeningServer>>;
type ViewItem = { kind: string; role?: string; text?: string; startedAt: number; status?: string };
type SessionBody = {
  view: {
    items: ViewItem[];
    usage: { inputTokens: number; outputTokens: number };
  };
};

async function sessionBody(s: Listening, id: string): Promise<SessionBody> {
  return (await (await fetch(`${s.base}/api/sessions/${id}`)).json()) as SessionBody;
}

async function runToEnd(s: Listening, id: string, input: string) {
  const runId = await s.startRun(id, input);
  return waitForEvent(s.t.log, id, runEnded(runId));
}

/** The provider request at `index`: its messages, as the model server received them. */
const sentMessages = (s: Listening, index: number) =>
  (s.t.model.requests[index]!.body as { messages: Array<Record<string, unknown>> }).messages;

describe('inventory C: transcript and context integrity', () => {
  it('T23 the provider receives only API fields: no display metadata, no error entries, no orphan tool results', async () => {
    await using s = await startListeningServer([
      { reasoning: 'thinking', text: 'first answer' },
      { error: { status: 500, body: { error: { message: 'upstream exploded' } } } },
      { text: 'third answer' },
    ]);
    const id = await s.newSession();
    await runToEnd(s, id, 'one');
    await runToEnd(s, id, 'two');
    await runToEnd(s, id, 'three');
    const messages = sentMessages(s, 2);
    const allowed = new Set([
      'role',
      'content',
      'tool_calls',
      'tool_call_id',
      'name',
      'reasoning_content',
    ]);
    for (const message of messages)
      expect(Object.keys(message).filter((key) => !allowed.has(key))).toEqual([]);
    const text = JSON.stringify(messages);
    expect(text).not.toContain('upstream exploded');
    expect(text).not.toContain('createdAt');
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'user']);
  });

  it('T24 compaction shortens what the model gets, never what the user sees', async () => {
    await using s = await startListeningServer(
      (request) => {
        const body = request.body as { messages: Array<{ role: string; content: unknown }> };
        if (JSON.stringify(body.messages[0]?.content ?? '').startsWith('"Summarise'))
          return { text: 'Earlier: the user counted.' };
        return { text: 'x'.repeat(300) };
      },
      { agent: { compaction: { contextWindow: 400, threshold: 0.5, keepRecent: 2 } } },
    );
    const id = await s.newSession();
    const inputs = ['one', 'two', 'three', 'four', 'five'];
    for (const input of inputs) await runToEnd(s, id, input);
    const compacted = (await storedEvents(s.t.log, id)).filter(
      (event) => event.type === 'context.compacted',
    );
    expect(compacted.length).toBeGreaterThan(0);
    // The model's context was cut: the last request no longer carries the first turn.
    const last = sentMessages(s, s.t.model.requests.length - 1);
    expect(JSON.stringify(last)).not.toContain('"one"');
    // The transcript a reload shows still has every message, in order.
    const { view } = await sessionBody(s, id);
    const users = view.items.filter((item) => item.kind === 'message' && item.role === 'user');
    expect(users.map((item) => item.text)).toEqual(inputs);
  });

  it('T27 a later turn does not rewrite earlier ones: reasoning and times of turn 1 stay as they were', async () => {
    let now = 1_000_000;
    const store = new MemorySessionStore();
    await using s = await startListeningServer(
      [{ reasoning: 'plan A', text: 'answer A' }, { text: 'answer B' }],
      { agent: { store }, now: () => (now += 1000) },
    );
    const id = await s.newSession();
    await runToEnd(s, id, 'first');
    const before = (await sessionBody(s, id)).view.items;
    const storedBefore = (await store.load(id))!.transcript;
    await runToEnd(s, id, 'second');
    const after = (await sessionBody(s, id)).view.items;
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.find((item) => item.kind === 'reasoning')).toMatchObject({ text: 'plan A' });
    const storedAfter = (await store.load(id))!.transcript;
    expect(storedAfter.slice(0, storedBefore.length)).toEqual(storedBefore);
  });

  it('T28 a turn that reports zero usage does not zero the session totals', async () => {
    await using s = await startListeningServer([
      { text: 'counted', usage: { inputTokens: 5000, outputTokens: 20 } },
      { text: 'reported as zero', usage: { inputTokens: 0, outputTokens: 0 } },
    ]);
    const id = await s.newSession();
    await runToEnd(s, id, 'one');
    const first = (await sessionBody(s, id)).view.usage;
    expect(first.inputTokens).toBeGreaterThanOrEqual(5000);
    await runToEnd(s, id, 'two');
    const second = (await sessionBody(s, id)).view.usage;
    expect(second.inputTokens).toBe(first.inputTokens);
    expect(second.outputTokens).toBe(first.outputTokens);
  });
});
