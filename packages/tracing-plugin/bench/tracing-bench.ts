/**
 * tracing-plugin bench: agent turns with the Langfuse plugin attached against
 * the same turns without it, in ABBA rounds (tools/bench/abba.js). The model
 * server and the Langfuse OTLP receiver run in a child process (testkit's
 * startBenchServers), so this process's CPU time is the agent's and the
 * plugin's alone. Each sample is a block of turns that ends in `flush()`:
 * the HTTP export of every span is inside the measurement.
 *
 *   pnpm nx run @switchboard/tracing-plugin:bench
 */
import { createAgent, defineTool } from '@switchboard/agent-core';
import {
  startBenchServers,
  THREE_TOOL_CALLS_ANSWER,
  THREE_TOOL_CALLS_PROMPT,
} from '@switchboard/testkit/bench';
import { z } from 'zod';
import {
  cpuPerUnitUs,
  describeMachine,
  measureAbba,
  report,
  type AbbaResult,
} from '../../../tools/bench/abba.js';
import { createLangfuseTracingPlugin } from '../src/index.js';

/** Observations per turn: root, user message, 2 generations, 3 tools, assistant response. */
const SPANS_PER_TURN = 8;

const machine = describeMachine();
const servers = await startBenchServers();

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
    env: { SWITCHBOARD_BASE_URL: servers.modelBaseUrl },
    tools,
  });
const plain = makeAgent('plain');
const traced = makeAgent('traced');
const plugin = createLangfuseTracingPlugin({
  publicKey: 'pk-lf-test',
  secretKey: 'sk-lf-test',
  baseUrl: servers.receiverBaseUrl,
  env: {},
});
plugin.attach(traced);

async function turns(agent: typeof plain, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    const result = await (await agent.createSession()).run(THREE_TOOL_CALLS_PROMPT).result;
    if (result.text !== THREE_TOOL_CALLS_ANSWER) throw new Error(`${result.stopReason}`);
  }
}

async function measure(paceMs: number, turnsPerSample: number, gated: boolean) {
  await servers.setScript('three-tool-calls', { paceMs });
  let spansBefore = 0;
  return measureAbba({
    name: `${turnsPerSample} agent turns (3 tool calls + answer) then \`flush()\`, model paced at ${paceMs} ms/chunk`,
    subject: {
      label: `plugin attached; the block ends with \`bus.flush()\` + \`plugin.flush()\` (every span exported to the receiver)`,
      before: async () => {
        spansBefore = (await servers.stats()).spans;
      },
      run: async () => {
        await turns(traced, turnsPerSample);
        await traced.bus.flush();
        await plugin.flush();
      },
      after: async () => {
        const arrived = (await servers.stats()).spans - spansBefore;
        if (arrived !== turnsPerSample * SPANS_PER_TURN)
          throw new Error(`${arrived} spans arrived, expected ${turnsPerSample * SPANS_PER_TURN}`);
      },
    },
    baseline: {
      label: 'the same agent without the plugin; the block ends with `bus.flush()`',
      run: async () => {
        await turns(plain, turnsPerSample);
        await plain.bus.flush();
      },
    },
    units: { count: turnsPerSample * SPANS_PER_TURN, name: 'span' },
    target: gated
      ? { text: 'median ratio ≤ 1.05', maxRatio: 1.05 }
      : { text: '(CPU-bound; informational)' },
  });
}

const results: AbbaResult[] = [await measure(5, 10, true), await measure(0, 40, false)];
await plugin.shutdown();
const { exports } = await servers.stats();
report('@switchboard/tracing-plugin', results, {
  machine,
  notes: [
    ...results.map((result) => {
      const plugin =
        (cpuPerUnitUs(result, 'subject') ?? 0) - (cpuPerUnitUs(result, 'baseline') ?? 0);
      return `${result.name}: the plugin's CPU cost is **${plugin.toFixed(0)} µs per span** (median CPU with − without, over ${SPANS_PER_TURN} spans per turn; includes building, serialising and exporting them).`;
    }),
    `Every traced block was checked to deliver exactly ${SPANS_PER_TURN} spans per turn to the receiver (${exports} export requests in all).`,
  ],
});

await plain.close();
await traced.close();
await servers.close();
