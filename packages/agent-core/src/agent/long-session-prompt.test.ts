import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { createScriptedModel, type ScriptedModelCall } from '@switchboard/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { PromptConverter } from '../sessions/prompt-converter.js';
import { toProviderPrompt } from '../sessions/transcript.js';
import { defineTool } from '../tools/define-tool.js';
import { collect as collectRun } from '../test-helpers/run-helpers.js';
import { createAgent, type Agent } from './agent.js';
import type { AgentOptions } from './agent-options.js';
import type { AgentSession } from './agent-session.js';

const SYSTEM = 'You look things up.';

/**
 * An agent whose model asks for two parallel lookups, then answers once the
 * results are in (two model calls per turn). `check` sees every prompt the
 * model is sent, with the transcript it was made from.
 */
function lookupAgent(
  check: (prompt: LanguageModelV3Prompt, session: () => AgentSession) => void,
  options: Partial<AgentOptions> = {},
): { agent: Agent; bind: (session: AgentSession) => void } {
  let current: AgentSession | undefined;
  const model = createScriptedModel((call: ScriptedModelCall) => {
    const prompt = call.options.prompt;
    if (prompt[0]?.role === 'system' && JSON.stringify(prompt[0].content).startsWith('"Summarise'))
      return { text: 'Earlier: lookups.' };
    check(prompt, () => current!);
    return prompt.at(-1)?.role === 'tool'
      ? { text: ['Found ', 'both.'], usage: { inputTokens: 50, outputTokens: 3 } }
      : {
          toolCalls: [
            { id: `a${call.callIndex}`, name: 'lookup', args: { q: 'a' } },
            { id: `b${call.callIndex}`, name: 'lookup', args: { q: 'b' } },
          ],
        };
  });
  const agent = createAgent({
    name: 'long',
    instructions: SYSTEM,
    model,
    tools: {
      lookup: defineTool({
        description: 'Look something up',
        inputSchema: z.object({ q: z.string() }),
        execute: ({ q }) => ({ found: `${q} is here` }),
      }),
    },
    titles: { enabled: false }, // no title call among the counted ones
    ...options,
  });
  return { agent, bind: (session) => (current = session) };
}

afterEach(() => vi.restoreAllMocks());

describe('a long session converts only what is new for each model call', () => {
  it('the entries converted per turn stay the same from turn 2 to turn 60, and every prompt is whole', async () => {
    const converted = vi.spyOn(PromptConverter.prototype, 'add');
    /** Conversions this test makes itself, to check the prompts: not the agent's. */
    let checking = 0;
    const mismatches: number[] = [];
    let calls = 0;
    const { agent, bind } = lookupAgent(
      (prompt, session) => {
        calls += 1;
        // What the model got is exactly the whole transcript converted from scratch.
        const before = converted.mock.calls.length;
        const expected = toProviderPrompt(SYSTEM, session().transcript);
        checking += converted.mock.calls.length - before;
        if (JSON.stringify(prompt) !== JSON.stringify(expected)) mismatches.push(calls);
      },
      {
        // Compaction on (its estimate runs before every call) but never due; hooks that take the history.
        compaction: { contextWindow: 100_000_000, threshold: 0.8, keepRecent: 6 },
        hooks: { pre_llm_call: () => {}, post_llm_call: () => {} },
      },
    );
    const session = await agent.createSession();
    bind(session);
    const perTurn: number[] = [];
    for (let turn = 1; turn <= 60; turn++) {
      const before = converted.mock.calls.length - checking;
      const result = await session.run(`look up a and b, ${turn}`).result;
      expect(result.text).toBe('Found both.');
      perTurn.push(converted.mock.calls.length - checking - before);
    }
    await agent.close();
    expect(calls).toBe(120);
    expect(mismatches).toEqual([]);
    // Each turn adds 4 entries (user, calls, results, answer); converting the
    // whole transcript for every call, estimate and hook would count
    // hundreds by turn 60.
    expect(new Set(perTurn.slice(1))).toEqual(new Set([perTurn[1]]));
    expect(perTurn[59]).toBeLessThanOrEqual(4);
    expect(session.transcript).toHaveLength(240);
  });

  it('a compaction mid-session is noticed: every prompt is still the transcript converted from scratch', async () => {
    const mismatches: number[] = [];
    let calls = 0;
    const { agent, bind } = lookupAgent(
      (prompt, session) => {
        calls += 1;
        const expected = toProviderPrompt(SYSTEM, session().transcript);
        if (JSON.stringify(prompt) !== JSON.stringify(expected)) mismatches.push(calls);
      },
      { compaction: { contextWindow: 600, threshold: 0.5, keepRecent: 2 } },
    );
    const session = await agent.createSession();
    bind(session);
    for (let turn = 1; turn <= 8; turn++) await session.run(`look up a and b, ${turn}`).result;
    await agent.close();
    const transcript = session.transcript;
    expect(transcript.filter((entry) => entry.display.source === 'summary').length).toBeGreaterThan(
      1,
    );
    expect(calls).toBe(16);
    expect(mismatches).toEqual([]);
  });

  it("the live meter's prompt estimate comes from the session's incremental measure, not from serialising the prompt", async () => {
    const prompts: LanguageModelV3Prompt[] = [];
    let now = Date.UTC(2026, 0, 1);
    const agent = createAgent({
      name: 'metered',
      instructions: SYSTEM,
      // 400 deltas: the meter reads the clock once a delta, so estimates are due.
      model: createScriptedModel((call: ScriptedModelCall) => {
        prompts.push(call.options.prompt);
        return { text: Array.from({ length: 400 }, () => 'abcd') };
      }),
      now: () => (now += 1),
      titles: { enabled: false },
    });
    const session = await agent.createSession();
    for (let turn = 1; turn < 5; turn++) await session.run(`message ${turn}`).result;
    const stringify = vi.spyOn(JSON, 'stringify');
    const { events } = await collectRun(session.run('the last message'));
    const serialisedPrompts = stringify.mock.calls.filter(
      ([value]) => Array.isArray(value) && (value[0] as { role?: string })?.role === 'system',
    );
    expect(serialisedPrompts).toEqual([]);
    const estimated = events.filter(
      (event) =>
        event.type === 'usage.updated' && (event.data as { estimated?: boolean }).estimated,
    );
    expect(estimated.length).toBeGreaterThan(0);
    stringify.mockRestore();
    const expected = Math.ceil(JSON.stringify(prompts.at(-1)).length / 4);
    for (const event of estimated)
      expect((event.data as { call: { inputTokens: number } }).call.inputTokens).toBe(expected);
    await agent.close();
  });
});
