// Runs offline: the testkit's scripted server stands in for the model. The
// web API is served on 127.0.0.1 and used over HTTP, as the web app does.
// With a real provider, drop the model server and use e.g.
// model: 'openai:gpt-4.1-mini' (OPENAI_API_KEY); keep the SQLite files on disk.
import { createAgent, SqliteSessionStore } from '@switchboard/agent-core';
import { EventBus, connectEventStream, isKnownEvent } from '@switchboard/events';
import { SqliteEventLog } from '@switchboard/events/node';
import { startModelServer } from '@switchboard/testkit';
import { createServer } from '@switchboard/webui-server';

await using model = await startModelServer({ script: [{ text: ['Hello ', 'from the API.'] }] });
const agent = createAgent({
  model: 'openai-compatible:demo',
  env: { SWITCHBOARD_BASE_URL: model.baseUrl },
  store: new SqliteSessionStore({ path: ':memory:' }), // sessions (a file path survives restarts)
  bus: new EventBus({ log: new SqliteEventLog({ path: ':memory:' }) }), // events, replayed to streams
});
const server = await createServer({ agent, port: 0, logger: false });
const url = await server.listen(); // http://127.0.0.1:<port>

const json = { 'content-type': 'application/json' };
const session = (await (await fetch(`${url}/api/sessions`, { method: 'POST' })).json()) as {
  id: string;
};
const run = await fetch(`${url}/api/sessions/${session.id}/runs`, {
  method: 'POST',
  headers: json,
  body: JSON.stringify({ input: 'Hi!', messageId: 'msg-1' }), // retrying with msg-1 starts nothing new
});
const { runId } = (await run.json()) as { runId: string }; // 202: the message is stored

// The stream replays the session from the start, then goes live; it resumes by itself after a drop.
for await (const event of connectEventStream(`${url}/api/sessions/${session.id}/events`)) {
  if (isKnownEvent(event) && event.type === 'message.delta') process.stdout.write(event.data.delta);
  if (event.runId === runId && (event.type === 'run.finished' || event.type === 'run.failed'))
    break;
}
process.stdout.write('\n');

await server.close(); // refuses new runs, lets active ones finish, ends streams
await agent.close();
await agent.bus.close();
