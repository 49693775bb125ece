import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpAgent, type Message } from '@ag-ui/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadFixture } from '../../fixtures/index.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import { createAgUiAdapter } from './to-ag-ui.js';

interface Endpoint {
  url: string;
  bodies: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A loopback AG-UI endpoint, the way a server would back one: each POST
 * streams the events `pick` chooses for its RunAgentInput through a new
 * adapter, as SSE.
 */
async function startEndpoint(
  pick: (input: Record<string, unknown>) => AnyEvent[],
): Promise<Endpoint> {
  const bodies: Array<Record<string, unknown>> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const input: Record<string, unknown> = JSON.parse(body);
      bodies.push(input);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const adapter = createAgUiAdapter();
      for (const event of pick(input))
        for (const out of adapter.push(event)) res.write(`data: ${JSON.stringify(out)}\n\n`);
      for (const out of adapter.end()) res.write(`data: ${JSON.stringify(out)}\n\n`);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? (address satisfies AddressInfo).port : 0;
  return {
    url: `http://127.0.0.1:${port}/agui`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const approval = loadFixture('approval');
const resumeAt = approval.findIndex((event) => event.runId === 'run_02');

/** The conversation as a generic AG-UI client keeps it: role, id, and what it says or calls. */
function summary(messages: Message[]) {
  return messages.map((message) => ({
    role: message.role,
    id: message.id,
    ...('content' in message && typeof message.content === 'string'
      ? { content: message.content }
      : {}),
    ...('toolCalls' in message && message.toolCalls
      ? {
          toolCalls: message.toolCalls.map((call) => [
            call.id,
            call.function.name,
            call.function.arguments,
          ]),
        }
      : {}),
    ...('toolCallId' in message ? { toolCallId: message.toolCallId } : {}),
  }));
}

describe("AG-UI adapter behind an endpoint, run by @ag-ui/client's HttpAgent", () => {
  let endpoint: Endpoint | undefined;
  const warnings: unknown[][] = [];
  beforeEach(() => {
    warnings.length = 0;
    // The client's verifier throws on protocol errors; its event applier only warns.
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await endpoint?.close();
    endpoint = undefined;
  });

  it('pause for approval, then resume: the result joins the call of the paused run', async () => {
    endpoint = await startEndpoint((input) =>
      input.resume ? approval.slice(resumeAt) : approval.slice(0, resumeAt),
    );
    const agent = new HttpAgent({ url: endpoint.url, threadId: 'ses_approval' });

    await agent.runAgent({ runId: 'run_01' });
    expect(agent.pendingInterrupts).toEqual([
      { id: 'apr_01', reason: 'tool_approval', toolCallId: 'call_01' },
    ]);
    await agent.runAgent({
      runId: 'run_02',
      resume: [{ interruptId: 'apr_01', status: 'resolved', payload: { approved: true } }],
    });

    expect(endpoint.bodies[1]).toMatchObject({ resume: [{ interruptId: 'apr_01' }] });
    expect(agent.pendingInterrupts).toEqual([]);
    expect(summary(agent.messages)).toEqual([
      { role: 'user', id: 'msg_u1', content: 'Delete /tmp/cache' },
      {
        role: 'assistant',
        id: 'call_01',
        toolCalls: [['call_01', 'remove', '{"path":"/tmp/cache"}']],
      },
      { role: 'tool', id: 'call_01:result', content: 'removed /tmp/cache', toolCallId: 'call_01' },
      { role: 'assistant', id: 'msg_a1', content: 'Done: /tmp/cache is gone.' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('a full session replay in one response: several runs, the same conversation', async () => {
    endpoint = await startEndpoint(() => loadFixture('provider-retry'));
    const agent = new HttpAgent({ url: endpoint.url, threadId: 'ses_retry' });
    await agent.runAgent({ runId: 'replay' }).catch(() => {}); // the second run fails: RUN_ERROR
    expect(summary(agent.messages).map((message) => [message.role, message.id])).toEqual([
      ['user', 'msg_u1'],
      ['assistant', 'msg_a1'],
      ['user', 'msg_u2'],
    ]);
    expect(warnings).toEqual([]);
  });

  it('a stream resumed from a seq mid-run: the run is opened and the rest of the text shown', async () => {
    const from = approval.findIndex((event) => event.type === 'message.delta');
    endpoint = await startEndpoint(() => approval.slice(from));
    const agent = new HttpAgent({ url: endpoint.url, threadId: 'ses_approval' });
    await agent.runAgent({ runId: 'run_02' });
    expect(summary(agent.messages)).toEqual([
      { role: 'assistant', id: 'msg_a1', content: 'Done: /tmp/cache is gone.' },
    ]);
    expect(warnings).toEqual([]);
  });
});
