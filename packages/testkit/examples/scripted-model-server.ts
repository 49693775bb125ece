import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { startModelServer } from '@switchboard/testkit';
import { streamText } from 'ai';

await using server = await startModelServer({
  script: [
    {
      reasoning: 'The user greets me.',
      text: ['Hel', 'lo!'],
      usage: { inputTokens: 12, outputTokens: 3 },
    },
    { error: { status: 429, retryAfterSeconds: 1 } },
  ],
});
const model = createOpenAICompatible({
  name: 'local',
  baseURL: server.baseUrl,
  includeUsage: true,
})('m');
const result = streamText({ model, prompt: 'Hi' });
console.log(await result.text); // "Hello!"
console.log(server.requests[0].body); // exactly what the provider sent
