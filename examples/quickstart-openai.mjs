// Needs OPENAI_API_KEY. Run: node examples/quickstart-openai.mjs
import { createAgent } from '@switchboard/agent-core';

const agent = createAgent({ model: 'openai:gpt-4o-mini' });
const session = await agent.createSession();
const result = await session.run('Say hello in five words.').result;
console.log(result.text);
await agent.close();
