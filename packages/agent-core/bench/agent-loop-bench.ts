/**
 * agent-core bench, every case in ABBA rounds (tools/bench/abba.js) against
 * the testkit's model server running in a child process (so this process's
 * CPU time is the agent's alone):
 *
 * - one agent turn (three parallel tool calls, then a streamed answer)
 *   against the AI SDK's own multi-step `streamText` loop, same tool, same
 *   provider instance, same server;
 * - turn 500 of one session against turn 1 of a fresh one, with the SQLite
 *   session store (and, for comparison, the memory store);
 * - the memory an idle session holds.
 *
 *   pnpm nx run @switchboard/agent-core:bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import {
  startBenchServers,
  THREE_TOOL_CALLS_ANSWER,
  THREE_TOOL_CALLS_PROMPT,
} from '@switchboard/testkit/bench';
import { stepCountIs, streamText, tool, type ModelMessage } from 'ai';
import { z } from 'zod';
import {
  createAgent,
  defineTool,
  MemorySessionStore,
  SqliteSessionStore,
  type AgentSession,
  type SessionStore,
} from '../src/index.js';
import {
  describeMachine,
  measureAbba,
  report,
  type AbbaResult,
} from '../../../tools/bench/abba.js';

const TURNS_PER_SAMPLE = 20;
/** The long session is this many turns old before its warm-up turn; measured turns are 500, 501, … */
const LONG_SESSION_TURNS = 498;
const LONG_ROUNDS = 21;
const IDLE_SESSIONS = 2_000;

const machine = describeMachine();
const servers = await startBenchServers();
const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-bench-'));

const inputSchema = z.object({ a: z.number(), b: z.number() });
const sum = ({ a, b }: { a: number; b: number }) => ({ sum: a + b });
const model = createOpenAICompatible({
  name: 'bench',
  baseURL: servers.modelBaseUrl,
  includeUsage: true,
}).chatModel('m');
const add = defineTool({ description: 'Add two numbers', inputSchema, execute: sum });

async function streamTextTurn(history: readonly ModelMessage[] = []): Promise<void> {
  const result = streamText({
    model,
    system: 'You add numbers.',
    messages: [...history, { role: 'user', content: THREE_TOOL_CALLS_PROMPT }],
    tools: { add: tool({ description: 'Add two numbers', inputSchema, execute: sum }) },
    stopWhen: stepCountIs(5),
  });
  for await (const part of result.fullStream) void part;
  if ((await result.text) !== THREE_TOOL_CALLS_ANSWER) throw new Error('streamText: wrong answer');
}

/**
 * A session's transcript as AI SDK messages. The transcript holds provider
 * (spec) messages; tool results differ only in carrying the spec's output
 * union, which `ModelMessage` accepts as is.
 */
function toModelMessages(session: AgentSession): ModelMessage[] {
  return session.transcript
    .filter((entry) => !entry.display.archived && entry.display.status !== 'error')
    .map((entry) => entry.message as ModelMessage);
}

const newAgent = (store?: SessionStore) =>
  createAgent({
    name: 'bench',
    instructions: 'You add numbers.',
    model,
    tools: { add },
    // A 500-turn transcript must stay a transcript: no summarising model call.
    compaction: false,
    ...(store ? { store } : {}),
  });

async function turn(session: AgentSession): Promise<void> {
  const run = session.run(THREE_TOOL_CALLS_PROMPT);
  for await (const event of run) void event;
  const result = await run.result;
  if (result.text !== THREE_TOOL_CALLS_ANSWER)
    throw new Error(`agent: ${result.stopReason} ${result.error?.message ?? ''}`);
}

/** Checks after each sample that it made exactly two model calls per turn. */
function callCounter(turns: number) {
  let before = 0;
  return {
    before: async () => {
      before = (await servers.stats()).modelCalls;
    },
    after: async () => {
      const made = (await servers.stats()).modelCalls - before;
      if (made !== 2 * turns) throw new Error(`${made} model calls for ${turns} turns`);
    },
  };
}

// 1. One turn: Switchboard against streamText.
const agent = newAgent();
const turnCase = await measureAbba({
  name: 'agent turn (3 parallel tool calls + answer) vs `streamText`',
  subject: {
    label: `${TURNS_PER_SAMPLE} turns of \`createSession()\` + \`session.run()\` read to the end (memory store)`,
    ...callCounter(TURNS_PER_SAMPLE),
    run: async () => {
      for (let index = 0; index < TURNS_PER_SAMPLE; index++)
        await turn(await agent.createSession());
    },
  },
  baseline: {
    label: `${TURNS_PER_SAMPLE} turns of AI SDK \`streamText({ tools, stopWhen: stepCountIs(5) })\`, \`fullStream\` read to the end`,
    ...callCounter(TURNS_PER_SAMPLE),
    run: async () => {
      for (let index = 0; index < TURNS_PER_SAMPLE; index++) await streamTextTurn();
    },
  },
  units: { count: TURNS_PER_SAMPLE, name: 'turn' },
  target: { text: 'median ratio ≤ 1.2', maxRatio: 1.2 },
});
await agent.close();

/**
 * 2. Turn 500 against turn 1: one session is brought to LONG_SESSION_TURNS
 * turns (untimed), then each round times its next turn against the first
 * turn of a fresh session (created outside the clock) with the same store.
 */
async function lateTurnCase(storeName: string, store: SessionStore, gated: boolean) {
  const lateAgent = newAgent(store);
  const long = await lateAgent.createSession();
  const started = Date.now();
  for (let index = 0; index < LONG_SESSION_TURNS; index++) await turn(long);
  const prepSeconds = (Date.now() - started) / 1000;
  let fresh: AgentSession | undefined;
  const freshCalls = callCounter(1);
  const result = await measureAbba({
    name: `turn ${LONG_SESSION_TURNS + 2}–${LONG_SESSION_TURNS + 1 + LONG_ROUNDS} vs turn 1, ${storeName}`,
    subject: {
      label: `the next turn of one session already ${LONG_SESSION_TURNS + 1}+ turns long, three tool calls + answer each (${storeName})`,
      ...callCounter(1),
      run: () => turn(long),
    },
    baseline: {
      label: `turn 1 of a new session (${storeName}; \`createSession()\` outside the clock)`,
      before: async () => {
        await freshCalls.before();
        fresh = await lateAgent.createSession();
      },
      run: () => turn(fresh!),
      after: freshCalls.after,
    },
    rounds: LONG_ROUNDS,
    units: { count: 1, name: 'turn' },
    ...(gated ? { target: { text: 'median ratio ≤ 1.5', maxRatio: 1.5 } } : {}),
  });
  // The same long turn against the AI SDK's own loop given the same history:
  // the provider request (converting and sending the whole transcript) grows
  // with the session for any agent; this pair shows whether the rest does.
  let history: ModelMessage[] = [];
  const sameHistory = await measureAbba({
    name: `turn ${LONG_SESSION_TURNS + 2 + LONG_ROUNDS}–${LONG_SESSION_TURNS + 1 + 2 * LONG_ROUNDS} vs \`streamText\` with the same history, ${storeName}`,
    subject: {
      label: `the next turn of the same long session (${storeName})`,
      ...callCounter(1),
      run: () => turn(long),
    },
    baseline: {
      label:
        "one `streamText` turn (same tool, same server) whose `messages` are the long session's transcript, then the prompt",
      before: async () => {
        await freshCalls.before();
        history = toModelMessages(long);
      },
      run: () => streamTextTurn(history),
      after: freshCalls.after,
    },
    rounds: LONG_ROUNDS,
    units: { count: 1, name: 'turn' },
    ...(gated ? { target: { text: 'median ratio ≤ 1.2', maxRatio: 1.2 } } : {}),
  });
  const snapshot = await store.load(long.id);
  const info = {
    storeName,
    turns: long.transcript.filter((entry) => entry.message.role === 'user').length,
    entries: long.transcript.length,
    snapshotKiB: JSON.stringify(snapshot).length / 1024,
    prepSeconds,
  };
  await lateAgent.close();
  return { result, sameHistory, info };
}

const sqlite = new SqliteSessionStore({ path: path.join(dir, 'sessions.db') });
const late = [
  await lateTurnCase('`SqliteSessionStore`', sqlite, true),
  await lateTurnCase('`MemorySessionStore`', new MemorySessionStore(), false),
];
await sqlite.close();

// 3. Memory per idle session: sessions after one plain turn, held open.
await servers.setScript('short-answer');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const memoryAgent = createAgent({ name: 'idle', model });
const warm = await memoryAgent.createSession();
await warm.run('hi').result;
gc();
const heapBefore = process.memoryUsage().heapUsed;
const held: AgentSession[] = [];
for (let index = 0; index < IDLE_SESSIONS; index++) {
  const session = await memoryAgent.createSession();
  await session.run('hi').result;
  await session.idle();
  held.push(session);
}
gc();
const perSessionKiB = (process.memoryUsage().heapUsed - heapBefore) / IDLE_SESSIONS / 1024;
await memoryAgent.close();

const results: AbbaResult[] = [
  turnCase,
  ...late.flatMap((entry) => [entry.result, entry.sameHistory]),
];
report('@switchboard/agent-core', results, {
  machine,
  notes: [
    ...late.map(
      ({ info }) =>
        `Long session with ${info.storeName}: ${info.turns} turns, ${info.entries} transcript entries, stored snapshot ${info.snapshotKiB.toFixed(0)} KiB at the end; bringing it to turn ${LONG_SESSION_TURNS} took ${info.prepSeconds.toFixed(1)} s.`,
    ),
    `Memory per idle session (one plain turn in its transcript, memory store): **${perSessionKiB.toFixed(1)} KiB** (${held.length} sessions, heap delta after a full GC).`,
    'Both sides of every case are checked to make exactly two model calls per turn and to get the same answer.',
  ],
});

await servers.close();
rmSync(dir, { recursive: true, force: true });
