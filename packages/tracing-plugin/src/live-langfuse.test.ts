import { createAgent } from '@switchboard/agent-core';
import { startModelServer } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { createLangfuseTracingPlugin } from './tracing-plugin.js';

const live = Boolean(process.env.LANGFUSE_PUBLIC_KEY && process.env.LANGFUSE_SECRET_KEY);

describe('a real Langfuse project (opt-in)', () => {
  it.skipIf(!live)(
    'exports a turn to the project in LANGFUSE_* (skipped unless LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY are set)',
    async () => {
      await using server = await startModelServer({
        script: [{ text: 'Hello from the Switchboard live test.' }],
      });
      const warnings: string[] = [];
      const plugin = createLangfuseTracingPlugin({
        tags: ['switchboard-live-test'],
        logger: { warn: (message) => warnings.push(message) },
      });
      const agent = createAgent({
        name: 'live-test',
        model: 'openai-compatible:scripted',
        env: { SWITCHBOARD_BASE_URL: server.baseUrl },
      });
      plugin.attach(agent);
      await (await agent.createSession()).run('Say hello').result;
      await agent.close();
      await plugin.shutdown();
      expect(warnings).toEqual([]);
    },
    30_000,
  );
});
