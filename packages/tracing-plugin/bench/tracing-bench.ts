/**
 * tracing-plugin bench: agent turn time with the Langfuse plugin attached vs
 * without, same process, same scripted model server, alternating rounds. The
 * plugin exports (batched) to the testkit's Langfuse receiver on loopback.
 *
 *   pnpm nx run @switchboard/tracing-plugin:bench
 */
import { performance } from 'node:perf_hooks';
import { createAgent, defineTool } from '@switchboard/agent-core';
import { startLangfuseReceiver, startModelServer } from '@switchboard/testkit';
import { z } from 'zod';
import { createLangfuseTracingPlugin } from '../src/index.js';

const ROUNDS = 7;
/** Milliseconds between streamed chunks; 0 is a CPU-bound microbench, 5 is still ~10x faster than real models. */
let paceMs = 0;
let turnsPerRound = 40;

const receiver = await startLangfuseReceiver();
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
      delayMs: paceMs,
    };
  },
});

const tools = {
  add: defineTool({
    description: 'Add two numbers',
    inputSchema: z.object({ a: z.number(), b: z.number() }),
    execute: ({ a, b }) => ({ sum: a + b }),
  }),
};
const makeAgent = (name: string) =>
  createAgent({
    name,
    model: 'openai-compatible:m',
    env: { SWITCHBOARD_BASE_URL: server.baseUrl },
    tools,
  });
const plain = makeAgent('plain');
const traced = makeAgent('traced');
const plugin = createLangfuseTracingPlugin({
  publicKey: 'pk-lf-test',
  secretKey: 'sk-lf-test',
  baseUrl: receiver.baseUrl,
  env: {},
});
plugin.attach(traced);

const turnOf = (agent: ReturnType<typeof makeAgent>) => async () => {
  const result = await (await agent.createSession()).run('Add 1+2, 3+4 and 5+6.').result;
  if (result.text !== 'The answers are 3, 7 and 11.') throw new Error(`${result.stopReason}`);
};
async function round(turn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  for (let index = 0; index < turnsPerRound; index++) await turn();
  return (performance.now() - start) / turnsPerRound;
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Turn by turn, plugin off then on, so drift and timer jitter hit both; medians of per-turn time. */
async function measure(): Promise<{ subjectMs: number; baselineMs: number; turns: number }> {
  await round(turnOf(plain));
  await round(turnOf(traced));
  const without: number[] = [];
  const withPlugin: number[] = [];
  const pairs = ROUNDS * turnsPerRound;
  for (let index = 0; index < pairs; index++) {
    let start = performance.now();
    await turnOf(plain)();
    without.push(performance.now() - start);
    start = performance.now();
    await turnOf(traced)();
    withPlugin.push(performance.now() - start);
  }
  return {
    subjectMs: median(withPlugin),
    baselineMs: median(without),
    turns: pairs + turnsPerRound,
  };
}

const rows: string[] = [];
let tracedTurns = 0;
let pass = true;
for (const [pace, turns, gated] of [
  [5, 15, true],
  [0, 40, false],
] as const) {
  paceMs = pace;
  turnsPerRound = turns;
  const { subjectMs, baselineMs, turns: measured } = await measure();
  tracedTurns += measured;
  const ratio = subjectMs / baselineMs;
  if (gated && ratio > 1.05) pass = false;
  rows.push(
    `| agent turn (3 tool calls + answer), model paced at ${pace} ms/chunk | ${subjectMs.toFixed(2)} ms | ${baselineMs.toFixed(2)} ms | ${ratio.toFixed(3)}x | ${(subjectMs - baselineMs).toFixed(2)} ms/turn | ${gated ? 'ratio ≤ 1.05' : '(CPU-bound; informational)'} | ${gated ? (ratio <= 1.05 ? 'yes' : 'NO') : '—'} |`,
  );
}
await traced.bus.flush();
await plugin.shutdown();
const spans = receiver.spans().length;
const expectedSpans = tracedTurns * 8; // root, header, 2 generations, 3 tools, answer
console.log('| case | with plugin | without | ratio | overhead | target | ok |');
console.log('|---|---:|---:|---:|---:|---|---|');
for (const row of rows) console.log(row);
console.log(
  `\nspans exported: ${spans} of ${expectedSpans}; per case ${ROUNDS} × turns-per-round pairs, alternating turn by turn after a warm-up; medians`,
);
await plain.close();
await traced.close();
await server.close();
await receiver.close();
if (!pass || spans !== expectedSpans) process.exitCode = 1;
