/**
 * agent-core bench: the cost of the Switchboard loop per turn against the AI
 * SDK's own multi-step `streamText` loop, same tools, same provider, same
 * loopback server, measured alternately in one process; and the memory an
 * idle session holds.
 *
 *   pnpm nx run @switchboard/agent-core:bench
 */
import { performance } from 'node:perf_hooks';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { startModelServer } from '@switchboard/testkit';
import { stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { createAgent, defineTool } from '../src/index.js';

const TURNS_PER_ROUND = 40;
const ROUNDS = 7;
const IDLE_SESSIONS = 2_000;

// Each turn: one step with three parallel tool calls, then a text answer.
const server = await startModelServer({
  script: (request) => {
    const messages = (request.body as { messages: Array<{ role: string }> }).messages;
    if (messages.at(-1)?.role === 'tool') {
      return {
        text: ['The answers ', 'are 3, 7 ', 'and 11.'],
        usage: { inputTokens: 120, outputTokens: 9 },
      };
    }
    return {
      toolCalls: [
        { id: `a${request.callIndex}`, name: 'add', args: { a: 1, b: 2 } },
        { id: `b${request.callIndex}`, name: 'add', args: { a: 3, b: 4 } },
        { id: `c${request.callIndex}`, name: 'add', args: { a: 5, b: 6 } },
      ],
      usage: { inputTokens: 80, outputTokens: 30 },
    };
  },
});

const inputSchema = z.object({ a: z.number(), b: z.number() });
const sum = ({ a, b }: { a: number; b: number }) => ({ sum: a + b });
const model = createOpenAICompatible({
  name: 'bench',
  baseURL: server.baseUrl,
  includeUsage: true,
}).chatModel('m');

async function streamTextTurn(): Promise<void> {
  const result = streamText({
    model,
    system: 'You add numbers.',
    prompt: 'Add 1+2, 3+4 and 5+6.',
    tools: { add: tool({ description: 'Add two numbers', inputSchema, execute: sum }) },
    stopWhen: stepCountIs(5),
  });
  for await (const part of result.fullStream) void part;
  if ((await result.text) !== 'The answers are 3, 7 and 11.')
    throw new Error('streamText: wrong answer');
}

const agent = createAgent({
  name: 'bench',
  instructions: 'You add numbers.',
  model,
  tools: { add: defineTool({ description: 'Add two numbers', inputSchema, execute: sum }) },
});

async function switchboardTurn(): Promise<void> {
  const session = await agent.createSession();
  const run = session.run('Add 1+2, 3+4 and 5+6.');
  for await (const event of run) void event;
  const result = await run.result;
  if (result.text !== 'The answers are 3, 7 and 11.')
    throw new Error(`agent: ${result.stopReason} ${result.error?.message ?? ''}`);
}

async function round(turn: () => Promise<void>): Promise<number> {
  const calls = server.callCount;
  const start = performance.now();
  for (let index = 0; index < TURNS_PER_ROUND; index++) await turn();
  const ms = (performance.now() - start) / TURNS_PER_ROUND;
  // Both sides must do the same work: two model calls per turn.
  if (server.callCount - calls !== 2 * TURNS_PER_ROUND) throw new Error('unequal model calls');
  return ms;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// Warm-up: JIT, sockets, schema caches.
await round(streamTextTurn);
await round(switchboardTurn);
const baseline: number[] = [];
const subject: number[] = [];
for (let index = 0; index < ROUNDS; index++) {
  baseline.push(await round(streamTextTurn));
  subject.push(await round(switchboardTurn));
}
const baselineMs = median(baseline);
const subjectMs = median(subject);
const ratio = subjectMs / baselineMs;

// Memory per idle session: sessions after one completed turn, held open.
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const memoryAgent = createAgent({
  name: 'idle',
  model: createOpenAICompatible({
    name: 'idle',
    baseURL: server.baseUrl,
    includeUsage: true,
  }).chatModel('m'),
});
server.setScript(() => ({ text: 'Hello there!', usage: { inputTokens: 10, outputTokens: 3 } }));
const warm = await memoryAgent.createSession();
await warm.run('hi').result;
gc();
const before = process.memoryUsage().heapUsed;
const held = [];
for (let index = 0; index < IDLE_SESSIONS; index++) {
  const session = await memoryAgent.createSession();
  await session.run('hi').result;
  await session.idle();
  held.push(session);
}
gc();
const perSessionKiB = (process.memoryUsage().heapUsed - before) / IDLE_SESSIONS / 1024;

const rows = [
  [
    'agent turn (3 parallel tool calls + answer)',
    `${subjectMs.toFixed(2)} ms`,
    `${baselineMs.toFixed(2)} ms`,
    `${ratio.toFixed(2)}x`,
    `${subjectMs >= baselineMs ? '+' : '−'}${Math.abs(subjectMs - baselineMs).toFixed(2)} ms/turn`,
    'ratio ≤ 1.2',
    ratio <= 1.2 ? 'yes' : 'NO',
  ],
  [
    'memory per idle session (one turn in its transcript)',
    `${perSessionKiB.toFixed(1)} KiB`,
    '',
    '',
    `${held.length} sessions`,
    '',
    '',
  ],
];
console.log('| case | switchboard | streamText | ratio | overhead | target | ok |');
console.log('|---|---:|---:|---:|---:|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(`\n(rounds: ${ROUNDS} × ${TURNS_PER_ROUND} turns each side, alternating; medians)`);

await agent.close();
await memoryAgent.close();
await server.close();
if (ratio > 1.2) process.exitCode = 1;
