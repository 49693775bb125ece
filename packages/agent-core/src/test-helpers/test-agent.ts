import { startModelServer } from '@switchboard/testkit';
import { createAgent, type Agent } from '../agent/agent.js';
import type { AgentOptions } from '../agent/agent-options.js';

type Script = Parameters<typeof startModelServer>[0]['script'];

/**
 * Starts the testkit's loopback OpenAI-compatible server with `script` and an
 * agent that talks to it through the real `@ai-sdk/openai-compatible` provider.
 * Session titles are off unless `options.titles` turns them on: a title call
 * after the first exchange would take the next scripted turn of tests about
 * something else (agent-titles.test.ts tests them).
 */
export async function startTestAgent(script: Script, options: Partial<AgentOptions> = {}) {
  const server = await startModelServer({ script });
  let ids = 0;
  const agent: Agent = createAgent({
    name: 'tester',
    model: 'openai-compatible:test-model',
    instructions: 'You are a test agent.',
    env: { SWITCHBOARD_BASE_URL: server.baseUrl },
    retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 200 },
    generateId: (prefix) => `${prefix}_${++ids}`,
    titles: { enabled: false },
    ...options,
  });
  return {
    server,
    agent,
    async [Symbol.asyncDispose]() {
      await agent.close();
      await server.close();
    },
  };
}
