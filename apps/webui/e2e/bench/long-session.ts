import { reduceEvents, type AnyEvent } from '@switchboard/events';

/**
 * A long session as events: `turns` user messages, each answered (markdown:
 * paragraphs, lists, a code block every tenth turn) in a few deltas, so
 * `2 × turns` messages in all.
 */
export function longSessionEvents(sessionId: string, turns: number): AnyEvent[] {
  const events: AnyEvent[] = [];
  let seq = 0;
  let ts = Date.now() - turns * 10_000;
  const push = (type: string, data: unknown, runId?: string) => {
    seq += 1;
    ts += 5;
    events.push({ v: 1, type, seq, ts, sessionId, ...(runId ? { runId } : {}), data });
  };
  for (let turn = 0; turn < turns; turn += 1) {
    const runId = `run_${turn}`;
    push('run.started', { trigger: 'user' }, runId);
    push(
      'user.message',
      {
        messageId: `u_${turn}`,
        parts: [{ type: 'text', text: `Question number ${turn}: how does part ${turn} work?` }],
      },
      runId,
    );
    push('message.started', { messageId: `a_${turn}`, role: 'assistant' }, runId);
    const answer = [
      `### Part ${turn}\n\nIt works in **three** steps, each _checked_ before the next one starts.\n\n`,
      `1. Read the input\n2. Transform it with \`step(${turn})\`\n3. Write the result\n\n`,
      turn % 10 === 0
        ? '```ts\nexport function step(n: number): number {\n  return n * 2 + 1;\n}\n```\n'
        : `See [the docs](https://example.com/docs/${turn}) for details on part ${turn}.`,
    ];
    for (const delta of answer) push('message.delta', { messageId: `a_${turn}`, delta }, runId);
    push('message.completed', { messageId: `a_${turn}` }, runId);
    push('run.finished', { stopReason: 'completed', durationMs: 1200 }, runId);
  }
  return events;
}

/** The session's stream as the server frames it: `stream.opened`, then `id: seq` + `data`. */
export function sseBody(sessionId: string, events: readonly AnyEvent[], afterSeq = 0): string {
  const head = events.at(-1)?.seq ?? 0;
  const frames = [
    'retry: 1000\n\n',
    `data: ${JSON.stringify({ v: 1, type: 'stream.opened', data: { headSeq: head, sessionId } })}\n\n`,
  ];
  for (const event of events)
    if (event.seq > afterSeq) frames.push(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
  return frames.join('');
}

/**
 * `GET /api/sessions/:id` as the server answers it for these events: `meta`
 * (the real answer's metadata) with the view reduced from the whole log by the
 * shared reducer and `headSeq` (what the server's `readSessionView` does).
 */
export function sessionBody(
  meta: Record<string, unknown>,
  events: readonly AnyEvent[],
): Record<string, unknown> {
  const { items, itemIndex: _index, ...rest } = reduceEvents(events);
  return {
    ...meta,
    headSeq: rest.lastSeq,
    view: { ...rest, caughtUp: true, items: items.toArray(), turns: rest.turns.toArray() },
  };
}
