// The subject of the SSE bench, in its own process: the webui server around
// an agent that talks to the bench model server (MODEL_URL) and has the `add`
// tool the three-tool-calls script asks for; and, on a port of its own, the
// same-process baseline (a bare SSE endpoint fed by the same agent's bus).
import { createAgent, defineTool } from '@switchboard/agent-core';
import { EventBus, MemoryEventLog } from '@switchboard/events';
import { z } from 'zod';
import { createServer } from '../src/index.js';
import { serveRequests } from './child-ipc.js';
import { startSameProcessBaseline } from './same-process-baseline.js';

const add = defineTool({
  description: 'Adds two numbers.',
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => ({ sum: a + b }),
});
const agent = createAgent({
  name: 'bench',
  model: 'openai-compatible:m',
  env: { SWITCHBOARD_BASE_URL: process.env.MODEL_URL! },
  bus: new EventBus({ log: new MemoryEventLog() }),
  tools: { add },
  titles: { enabled: false },
});
const server = await createServer({
  agent,
  logger: false,
  port: 0,
  // The bench starts every round's runs at once.
  rateLimit: { runs: { max: 1_000_000, timeWindowMs: 60_000 } },
});
const url = await server.listen();
const sameProcess = await startSameProcessBaseline(agent);

serveRequests(async (request) => {
  if (request.type === 'rss') return process.memoryUsage().rss;
  if (request.type === 'same-process-url') return sameProcess.url;
  if (request.type === 'idle') {
    // Every session idle again before the next round (the runs of other sessions may trail).
    for (const id of request.ids as string[]) {
      for (;;) {
        const response = await server.app.inject({ url: `/api/sessions/${id}` });
        if (response.json<{ status: string }>().status === 'idle') break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    return true;
  }
  throw new Error(`unknown request ${request.type}`);
});
process.once('SIGTERM', () => {
  void Promise.all([sameProcess.close(), server.close()]).then(() => process.exit(0));
});
process.send!({ type: 'ready', url });
