// One call, one answer, nothing kept. Offline: the testkit's scripted server stands in for the
// model; with a real one, drop the server and use model: 'openai:gpt-4o-mini' (OPENAI_API_KEY).
import { createAgent } from '@switchboard/agent-core';
import { startModelServer } from '@switchboard/testkit';

await using server = await startModelServer({ script: [{ text: 'Hello! How can I help?' }] });

const agent = createAgent({
  model: 'openai-compatible:my-model',
  providers: { openaiCompatible: { baseURL: server.baseUrl } },
});
const { text, stopReason, usage } = await agent.run('Hi!');
console.log(text, `(${stopReason}, ${usage.totalTokens} tokens)`);
await agent.close();
