// Runs offline: the testkit's scripted server stands in for the model.
// With a real provider, drop the server and use e.g. model: 'openai:gpt-4.1-mini' (OPENAI_API_KEY).
import { createAgent, defineTool, SqliteSessionStore } from '@switchboard/agent-core';
import { isKnownEvent } from '@switchboard/events';
import { startModelServer } from '@switchboard/testkit';
import { z } from 'zod';

await using server = await startModelServer({
  script: [
    { toolCalls: [{ id: 'call_1', name: 'weather', args: { city: 'Paris' } }] },
    { text: ['It is 18 °C ', 'and sunny in Paris.'] },
  ],
});

const agent = createAgent({
  name: 'helper',
  instructions: 'You are a concise assistant.',
  model: 'openai-compatible:my-model',
  providers: { openaiCompatible: { baseURL: server.baseUrl } },
  tools: {
    weather: defineTool({
      description: 'Current weather for a city',
      inputSchema: z.object({ city: z.string() }),
      execute: ({ city }) => ({ city, celsius: 18, sky: 'sunny' }),
    }),
  },
  store: new SqliteSessionStore({ path: ':memory:' }), // a file path survives restarts
});

const session = await agent.createSession();
const run = session.run('What is the weather in Paris?');
for await (const event of run) {
  if (!isKnownEvent(event)) continue; // narrows `data` by `type`
  if (event.type === 'message.delta') process.stdout.write(event.data.delta);
  if (event.type === 'tool_call.completed') console.log('[tool]', event.data.output);
}
const result = await run.result;
console.log(`\n${result.stopReason}; tokens:`, result.usage);
await session.close();
await agent.close();
