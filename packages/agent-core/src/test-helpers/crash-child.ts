/**
 * An agent process for the crash-loop test: `node --import tsx crash-child.ts <json>`, over a
 * SQLite session store and a SQLite event log. It loads its modules, prints `{ ready }`, then
 * waits for one command line on stdin: `{ sessionId?, message }`. It opens the session (loads
 * it, which ends a run its previous process left behind, or creates it), prints `{ loaded }`
 * with the transcript, and runs the message, printing `{ marker: 'delta' }` for streamed text
 * and `{ marker: 'tool' }` when its tool starts, then `{ finished }`. The parent kills it
 * (SIGKILL) at some point of that run.
 */
import { createInterface } from 'node:readline';
import { EventBus } from '@switchboard/events';
import { SqliteEventLog } from '@switchboard/events/node';
import { z } from 'zod';
import { createAgent } from '../agent/agent.js';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { defineTool } from '../tools/define-tool.js';

const config = JSON.parse(process.argv[2]!) as { db: string; events: string; baseUrl: string };
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

const store = new SqliteSessionStore({ path: config.db });
const log = new SqliteEventLog({ path: config.events });
const bus = new EventBus({ log, onError: (error) => print({ error: error.code }) });
const agent = createAgent({
  name: 'crashy',
  model: 'openai-compatible:test-model',
  env: { SWITCHBOARD_BASE_URL: config.baseUrl },
  retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  store,
  bus,
  onError: (error) => print({ error: (error as { code?: string }).code ?? error.message }),
  tools: {
    work: defineTool({
      description: 'Does some slow work',
      inputSchema: z.object({}),
      execute: async () => {
        print({ marker: 'tool' });
        await new Promise((resolve) => setTimeout(resolve, 300));
        return 'work done';
      },
    }),
  },
});
bus.on('message.delta', () => print({ marker: 'delta' }));

print({ ready: true });
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const command = JSON.parse((await lines.next()).value as string) as {
  sessionId?: string;
  message: string;
};
const session = command.sessionId
  ? await agent.loadSession(command.sessionId)
  : await agent.createSession();
await bus.flush();
print({
  loaded: { sessionId: session.id, status: session.status, transcript: session.transcript },
});
const result = await session.run(command.message).result;
await session.idle();
await bus.flush();
print({ finished: result.stopReason });
await agent.close();
await store.close();
log.close();
process.exit(0);
