// Runs offline: the testkit's Langfuse receiver and scripted model server stand in for
// Langfuse and the model. With real ones, drop both and set LANGFUSE_PUBLIC_KEY,
// LANGFUSE_SECRET_KEY (and LANGFUSE_BASE_URL for self-hosted), and a real model string.
import { createAgent } from '@switchboard/agent-core';
import { startLangfuseReceiver, startModelServer } from '@switchboard/testkit';
import { createLangfuseTracingPlugin } from '@switchboard/tracing-plugin';

await using langfuse = await startLangfuseReceiver({
  publicKey: 'pk-lf-demo',
  secretKey: 'sk-lf-demo',
});
await using model = await startModelServer({ script: [{ text: 'Hello! How can I help?' }] });

const tracing = createLangfuseTracingPlugin({
  publicKey: 'pk-lf-demo',
  secretKey: 'sk-lf-demo',
  baseUrl: langfuse.baseUrl,
  tags: ['demo'],
  userId: 'user-42',
});
const agent = createAgent({
  name: 'helper',
  model: 'openai-compatible:my-model',
  providers: { openaiCompatible: { baseURL: model.baseUrl } },
});
tracing.attach(agent);

const session = await agent.createSession();
await session.run('Hi there').result;
await agent.close();
await tracing.shutdown(); // exports what is left; never rejects

for (const span of langfuse.spans()) {
  console.log(`${String(span.attributes['langfuse.observation.type']).padEnd(10)} ${span.name}`);
}
