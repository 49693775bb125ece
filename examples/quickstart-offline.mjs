// No key, no network: the testkit's scripted server plays the model. Run: node examples/quickstart-offline.mjs
import { createAgent } from '@switchboard/agent-core';
import { startModelServer } from '@switchboard/testkit';

const model = await startModelServer({ script: [{ text: 'Hello from an offline model!' }] });
const agent = createAgent({
  model: 'openai-compatible:demo',
  providers: { openaiCompatible: { baseURL: model.baseUrl } },
});
const session = await agent.createSession();
const result = await session.run('Say hello.').result;
console.log(result.text);
await agent.close();
await model.close();
