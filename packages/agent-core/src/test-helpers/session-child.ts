/**
 * A separate process for restart and crash tests: `node --import tsx session-child.ts <json>`.
 * Modes: `pause` runs until an approval is requested, prints the ids and exits;
 * `hang` runs until a tool hangs (printing `tool-started`) and waits to be killed;
 * `stream` prints `{ sessionId }`, then `{ seq }` for every event while the model streams, and
 * waits to be killed; `resume` loads the session, approves and resumes; `continue` loads it and
 * runs a new message. Each prints one JSON line with what the parent checks (`continue` and
 * `resume` include every event this process emitted).
 */
import { z } from 'zod';
import { createAgent } from '../agent/agent.js';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { defineTool } from '../tools/define-tool.js';

const config = JSON.parse(process.argv[2]!) as {
  mode: 'pause' | 'hang' | 'stream' | 'resume' | 'continue';
  db: string;
  baseUrl: string;
  sessionId?: string;
};
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

const store = new SqliteSessionStore({ path: config.db });
const agent = createAgent({
  name: 'child',
  model: 'openai-compatible:test-model',
  env: { SWITCHBOARD_BASE_URL: config.baseUrl },
  store,
  tools: {
    remove: defineTool({
      description: 'Delete a file',
      inputSchema: z.object({ path: z.string() }),
      approval: 'always',
      execute: ({ path }) => `removed ${path}`,
    }),
    slow: defineTool({
      description: 'Never finishes',
      inputSchema: z.object({}),
      execute: () => {
        print('tool-started');
        return new Promise<string>(() => {});
      },
    }),
  },
});

const events: Array<{ type: string; seq: number; runId?: string; data: unknown }> = [];
agent.bus.on('*', (event) => {
  events.push({ type: event.type, seq: event.seq, runId: event.runId, data: event.data });
  if (config.mode === 'stream') print({ seq: event.seq, type: event.type });
});

if (config.mode === 'pause' || config.mode === 'hang' || config.mode === 'stream') {
  const session = await agent.createSession();
  if (config.mode !== 'pause') print({ sessionId: session.id });
  const result = await session.run('please do the thing').result;
  await session.idle();
  print({
    sessionId: session.id,
    requestId: result.pending[0]?.requestId,
    stop: result.stopReason,
  });
} else {
  const session = await agent.loadSession(config.sessionId!);
  const before = session.status;
  let result;
  if (config.mode === 'resume') {
    await session.respond(session.pendingRequests()[0]!.requestId, { approved: true });
    result = await session.resume().result;
  } else {
    result = await session.run('are you still there?').result;
  }
  await session.idle();
  await agent.bus.flush();
  print({
    before,
    stop: result.stopReason,
    text: result.text,
    transcript: session.transcript,
    events,
  });
}
await agent.close();
await store.close();
