/**
 * agent-core bench, every case in ABBA rounds (tools/bench/abba.js) against
 * the testkit's model server running in a child process (so this process's
 * CPU time is the agent's alone):
 *
 * - one agent turn (three parallel tool calls, then a streamed answer)
 *   against the AI SDK's own multi-step `streamText` loop, same tool, same
 *   provider instance, same server;
 * - long sessions (SQLite store, gated; memory store, for comparison): the
 *   agent's own cost at turn 500 against turn 1 (in-process model), the
 *   whole turn over HTTP, the agent on top of its own requests, and the long
 *   turn against `streamText` with the same history (see longSessionCases);
 * - the memory an idle session holds.
 *
 *   pnpm nx run @switchboard/agent-core:bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { createScriptedModel } from '@switchboard/testkit';
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
  type AgentOptions,
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
/**
 * The long session is this many turns old before its warm-up turn; measured
 * turns are 500, 501, … (`BENCH_LONG_TURNS=20` for a quick smoke run).
 */
const LONG_SESSION_TURNS = Number(process.env.BENCH_LONG_TURNS ?? 498);
const LONG_ROUNDS = 21;
const IDLE_SESSIONS = 2_000;
/**
 * Compaction on, as by default (its estimate runs before every model call),
 * with a window so large it never fires: a 500-turn transcript stays whole.
 */
const NEVER_COMPACT = { contextWindow: 1_000_000_000, threshold: 0.8, keepRecent: 6 } as const;

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

/** The bench agent; long sessions pass their store, model and compaction setting. */
const newAgent = (
  store?: SessionStore,
  turnModel: LanguageModelV3 = model,
  compaction: AgentOptions['compaction'] = NEVER_COMPACT,
) =>
  createAgent({
    name: 'bench',
    instructions: 'You add numbers.',
    model: turnModel,
    tools: { add },
    compaction,
    // No session-title call: `streamText` names nothing, and every case counts two model calls a turn.
    titles: { enabled: false },
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
 * 2. Long sessions. What must not grow with the session is the agent's own
 * work per turn; the provider request (converting and sending the whole
 * transcript to the model) necessarily does, for any agent. So:
 *
 * a. Own cost (gated): turn 500 against turn 1 with an in-process model (the
 *    testkit's scripted `LanguageModelV3`, the same two calls per turn), which
 *    does the same constant work whatever the prompt: what is left to grow is
 *    the agent's (prompt conversion, compaction's estimate, checkpoints,
 *    events, hooks).
 * b. Over HTTP, the same turn 500 against turn 1 with the real provider and
 *    model server: the whole cost, request included (informational).
 * c. Over HTTP, the agent's overhead on top of the request: each turn against
 *    the provider replaying the very requests that turn made (`doStream` with
 *    the same options, streams read to the end), at turn 500 and at turn 1.
 *    The paired differences are the agent's own time; their ratio is the
 *    own-cost growth measured through the real provider.
 * d. The long turn against the AI SDK's `streamText` given the same history
 *    (gated ≤ 1.2).
 *
 * Each long session is brought to LONG_SESSION_TURNS turns outside the clock
 * (compaction on but never due, see NEVER_COMPACT).
 */

/** The in-process model for 2a: the model server's script, as spec stream parts. */
function inProcessModel(): { model: LanguageModelV3; calls: () => number } {
  let calls = 0;
  const model = createScriptedModel((call) => {
    calls += 1;
    // The double records every call's options; a 500-turn session must not hold them all.
    model.calls.length = 0;
    return call.options.prompt.at(-1)?.role === 'tool'
      ? {
          text: ['The answers ', 'are 3, 7 ', 'and 11.'],
          usage: { inputTokens: 120, outputTokens: 9 },
        }
      : {
          toolCalls: [
            { id: `a${calls}`, name: 'add', args: { a: 1, b: 2 } },
            { id: `b${calls}`, name: 'add', args: { a: 3, b: 4 } },
            { id: `c${calls}`, name: 'add', args: { a: 5, b: 6 } },
          ],
          usage: { inputTokens: 80, outputTokens: 30 },
        };
  });
  return { model, calls: () => calls };
}

/** The HTTP model, keeping the options of the calls made since `startTurn()` (for 2c). */
function recordingModel() {
  let captured: LanguageModelV3CallOptions[] = [];
  const recording: LanguageModelV3 = {
    specificationVersion: 'v3',
    provider: model.provider,
    modelId: model.modelId,
    supportedUrls: model.supportedUrls,
    doGenerate: (options) => model.doGenerate(options),
    doStream: (options) => {
      captured.push(options);
      return model.doStream(options);
    },
  };
  return {
    model: recording,
    startTurn: () => (captured = []),
    calls: () => [...captured],
  };
}

/** The provider's own work for requests a turn made: the same `doStream` calls, streams read to the end. */
async function replay(calls: readonly LanguageModelV3CallOptions[]): Promise<void> {
  for (const options of calls) {
    const { stream } = await model.doStream({ ...options, abortSignal: undefined });
    const reader = stream.getReader();
    while (!(await reader.read()).done);
  }
}

const counted = (calls: () => number, turns: number) => {
  let before = 0;
  return {
    before: () => void (before = calls()),
    after: () => {
      const made = calls() - before;
      if (made !== 2 * turns) throw new Error(`${made} model calls for ${turns} turns`);
    },
  };
};

async function bringToLength(session: AgentSession): Promise<number> {
  const started = Date.now();
  for (let index = 0; index < LONG_SESSION_TURNS; index++) await turn(session);
  return (Date.now() - started) / 1000;
}

async function longSessionCases(storeName: string, store: SessionStore, gated: boolean) {
  const results: AbbaResult[] = [];
  // Turn numbers in the case names: each case has one warm-up round first,
  // and c. records one more turn before it starts.
  const first = LONG_SESSION_TURNS + 2;
  const span = (from: number) => `turn ${from}–${from + LONG_ROUNDS - 1}`;

  // a. The agent's own cost, in process.
  const inProcess = inProcessModel();
  const ownAgent = newAgent(store, inProcess.model);
  const ownLong = await ownAgent.createSession();
  const ownPrep = await bringToLength(ownLong);
  let fresh: AgentSession | undefined;
  results.push(
    await measureAbba({
      name: `agent's own cost: ${span(first)} vs turn 1, in-process model, ${storeName}`,
      subject: {
        label: `the next turn of one session already ${LONG_SESSION_TURNS + 1}+ turns long (in-process scripted model, ${storeName})`,
        ...counted(inProcess.calls, 1),
        run: () => turn(ownLong),
      },
      baseline: {
        label: `turn 1 of a new session (in-process scripted model, ${storeName}; \`createSession()\` outside the clock)`,
        before: async () => {
          fresh = await ownAgent.createSession();
        },
        run: () => turn(fresh!),
      },
      rounds: LONG_ROUNDS,
      units: { count: 1, name: 'turn' },
      ...(gated ? { target: { text: 'median ratio ≤ 1.5', maxRatio: 1.5 } } : {}),
    }),
  );
  await ownAgent.close();

  // b–d. Over HTTP, with the real provider.
  const recorder = recordingModel();
  const httpAgent = newAgent(store, recorder.model);
  const long = await httpAgent.createSession();
  const httpPrep = await bringToLength(long);
  const serverCalls = callCounter(1);
  results.push(
    await measureAbba({
      name: `whole turn over HTTP, request included: ${span(first)} vs turn 1, ${storeName}`,
      subject: {
        label: `the next turn of one session already ${LONG_SESSION_TURNS + 1}+ turns long (${storeName})`,
        ...callCounter(1),
        run: () => turn(long),
      },
      baseline: {
        label: `turn 1 of a new session (${storeName}; \`createSession()\` outside the clock)`,
        before: async () => {
          await serverCalls.before();
          fresh = await httpAgent.createSession();
        },
        run: () => turn(fresh!),
        after: serverCalls.after,
      },
      rounds: LONG_ROUNDS,
      units: { count: 1, name: 'turn' },
    }),
  );
  // c. The agent on top of its own requests, late and early.
  let lastLongCalls: LanguageModelV3CallOptions[] = [];
  const longTurnRecorded = async () => {
    recorder.startTurn();
    await turn(long);
    lastLongCalls = recorder.calls();
  };
  await longTurnRecorded();
  const lateOverhead = await measureAbba({
    name: `agent on top of its requests: ${span(first + LONG_ROUNDS + 2)} vs the same requests replayed, ${storeName}`,
    subject: {
      label: `the next turn of the long session (${storeName})`,
      ...callCounter(1),
      run: longTurnRecorded,
    },
    baseline: {
      label:
        "the provider's own work for that session's latest turn: its two `doStream` calls replayed with the same options, streams read to the end",
      ...callCounter(1),
      run: () => replay(lastLongCalls),
    },
    rounds: LONG_ROUNDS,
    units: { count: 1, name: 'turn' },
  });
  recorder.startTurn();
  await turn(await httpAgent.createSession());
  const firstTurnCalls = recorder.calls();
  const earlyOverhead = await measureAbba({
    name: `agent on top of its requests: turn 1 vs the same requests replayed, ${storeName}`,
    subject: {
      label: `turn 1 of a new session (${storeName}; \`createSession()\` outside the clock)`,
      before: async () => {
        await serverCalls.before();
        fresh = await httpAgent.createSession();
      },
      run: () => turn(fresh!),
      after: serverCalls.after,
    },
    baseline: {
      label:
        "turn 1's two `doStream` calls replayed with the same options, streams read to the end",
      ...callCounter(1),
      run: () => replay(firstTurnCalls),
    },
    rounds: LONG_ROUNDS,
    units: { count: 1, name: 'turn' },
  });
  results.push(lateOverhead, earlyOverhead);
  // d. Against the AI SDK's own loop given the same history.
  let history: ModelMessage[] = [];
  results.push(
    await measureAbba({
      name: `${span(first + 2 * LONG_ROUNDS + 3)} vs \`streamText\` with the same history, ${storeName}`,
      subject: {
        label: `the next turn of the same long session (${storeName})`,
        ...callCounter(1),
        run: () => turn(long),
      },
      baseline: {
        label:
          "one `streamText` turn (same tool, same server) whose `messages` are the long session's transcript, then the prompt",
        before: async () => {
          await serverCalls.before();
          history = toModelMessages(long);
        },
        run: () => streamTextTurn(history),
        after: serverCalls.after,
      },
      rounds: LONG_ROUNDS,
      units: { count: 1, name: 'turn' },
      ...(gated ? { target: { text: 'median ratio ≤ 1.2', maxRatio: 1.2 } } : {}),
    }),
  );
  const snapshot = await store.load(long.id);
  const growth = (which: 'wallMs' | 'cpuMs') =>
    lateOverhead.difference[which].median / earlyOverhead.difference[which].median;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const notes = [
    `${storeName}: the agent's own time on top of its requests (median paired difference, c.) is ${ms(lateOverhead.difference.wallMs.median)} wall / ${ms(lateOverhead.difference.cpuMs.median)} CPU at turn ${first + LONG_ROUNDS + 2}+ against ${ms(earlyOverhead.difference.wallMs.median)} / ${ms(earlyOverhead.difference.cpuMs.median)} at turn 1: **own-cost growth ${growth('wallMs').toFixed(2)}x wall, ${growth('cpuMs').toFixed(2)}x CPU** (informational; the gated own-cost case is the in-process one).`,
    `Long sessions with ${storeName}: ${long.transcript.filter((entry) => entry.message.role === 'user').length} turns, ${long.transcript.length} transcript entries, stored snapshot ${(JSON.stringify(snapshot).length / 1024).toFixed(0)} KiB at the end (HTTP); bringing them to turn ${LONG_SESSION_TURNS} took ${ownPrep.toFixed(1)} s in process and ${httpPrep.toFixed(1)} s over HTTP.`,
  ];
  await httpAgent.close();
  return { results, notes };
}

const sqlite = new SqliteSessionStore({ path: path.join(dir, 'sessions.db') });
const late = [
  await longSessionCases('`SqliteSessionStore`', sqlite, true),
  await longSessionCases('`MemorySessionStore`', new MemorySessionStore(), false),
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

const results: AbbaResult[] = [turnCase, ...late.flatMap((entry) => entry.results)];
report('@switchboard/agent-core', results, {
  machine,
  notes: [
    ...late.flatMap((entry) => entry.notes),
    `Memory per idle session (one plain turn in its transcript, memory store): **${perSessionKiB.toFixed(1)} KiB** (${held.length} sessions, heap delta after a full GC).`,
    'Both sides of every case are checked to make exactly two model calls per turn and to get the same answer.',
  ],
});

await servers.close();
rmSync(dir, { recursive: true, force: true });
