import * as acp from '@agentclientprotocol/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIXTURE_NAMES, loadFixture } from '../../fixtures/index.js';
import { ACP_EVENT_METHOD, toAcpMessages, type AcpMessage } from './to-acp.js';

/**
 * Sends messages through the ACP SDK's own agent→client connection: the
 * client side validates every `session/update` and permission request with
 * the protocol's schemas, so anything it does not deliver was invalid.
 */
async function deliver(messages: readonly AcpMessage[]) {
  const updates: unknown[] = [];
  const permissions: unknown[] = [];
  const client = acp
    .client()
    .onNotification('session/update', ({ params }) => void updates.push(params))
    .onRequest('session/request_permission', ({ params }) => {
      permissions.push(params);
      return { outcome: { outcome: 'selected', optionId: params.options[0]!.optionId } };
    });
  const connection = acp.agent().connect(client);
  for (const message of messages) {
    if (message.type === 'session/update')
      await connection.client.notify('session/update', message.params);
    if (message.type === 'session/request_permission') {
      await connection.client.request('session/request_permission', message.params);
    }
    if (message.type === '_switchboard/event')
      await connection.client.notify(message.type, message.params);
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  connection.close();
  return { updates, permissions };
}

let errors: string[] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation(
    (...args: unknown[]) => void errors.push(args.map(String).join(' ')),
  );
});
afterEach(() => vi.restoreAllMocks());

describe('ACP adapter on the golden corpus', () => {
  it.each(FIXTURE_NAMES)(
    '%s: every update and permission request passes the ACP SDK client',
    async (name) => {
      const messages = toAcpMessages(loadFixture(name));
      const { updates, permissions } = await deliver(messages);
      expect(errors.filter((line) => line.includes('Invalid params'))).toEqual([]);
      expect(updates).toEqual(
        messages.flatMap((message) => (message.type === 'session/update' ? [message.params] : [])),
      );
      expect(permissions).toEqual(
        messages.flatMap((message) =>
          message.type === 'session/request_permission' ? [message.params] : [],
        ),
      );
    },
  );

  it('plain chat: message chunks add up to the answer; the prompt ends with end_turn', () => {
    const events = loadFixture('plain-chat');
    const messages = toAcpMessages(events);
    const answer = events.find((event) => event.type === 'message.completed')!.data as {
      text: string;
    };
    const chunks = messages.flatMap((message) =>
      message.type === 'session/update' &&
      message.params.update.sessionUpdate === 'agent_message_chunk'
        ? [message.params.update.content]
        : [],
    );
    expect(chunks.map((chunk) => (chunk.type === 'text' ? chunk.text : '')).join('')).toBe(
      answer.text,
    );
    expect(messages.at(-1)).toMatchObject({
      type: 'prompt/response',
      response: { stopReason: 'end_turn' },
    });
  });

  it('multi-tool: the tool-call lifecycle by id, failures as failed with the reason in _meta', () => {
    const updates = toAcpMessages(loadFixture('multi-tool')).flatMap((message) =>
      message.type === 'session/update' ? [message.params.update] : [],
    );
    const ofCall = (id: string) =>
      updates.filter(
        (update) =>
          (update.sessionUpdate === 'tool_call' || update.sessionUpdate === 'tool_call_update') &&
          update.toolCallId === id,
      );
    expect(
      ofCall('call_01').map((update) => ('status' in update ? update.status : undefined)),
    ).toEqual([
      'pending',
      undefined, // rawInput
      'in_progress',
      undefined, // progress content
      'completed',
    ]);
    // The definition's title arrives with the input and is sent on from there.
    expect(
      ofCall('call_01').map((update) => ('title' in update ? update.title : undefined)),
    ).toEqual(['weather', 'Weather in Paris', 'Weather in Paris', undefined, undefined]);
    const failed = ofCall('call_02').at(-1)!;
    expect(failed).toMatchObject({
      status: 'failed',
      content: [{ type: 'content', content: { type: 'text', text: 'Weather service timed out' } }],
      _meta: { switchboard: { status: 'failed' } },
    });
    expect(updates.some((update) => update.sessionUpdate === 'plan')).toBe(true);
  });

  it('approval: a permission request, no prompt response while paused, end_turn after the resume', () => {
    const messages = toAcpMessages(loadFixture('approval'));
    const permission = messages.find((message) => message.type === 'session/request_permission')!;
    expect(permission.params).toMatchObject({
      toolCall: {
        toolCallId: 'call_01',
        title: 'Remove /tmp/cache',
        kind: 'delete',
        rawInput: { path: '/tmp/cache' },
      },
      options: [
        { optionId: 'allow', kind: 'allow_once' },
        { optionId: 'deny', kind: 'reject_once' },
      ],
    });
    expect(messages.filter((message) => message.type === 'prompt/response')).toEqual([
      { type: 'prompt/response', runId: 'run_02', response: { stopReason: 'end_turn' } },
    ]);
  });

  it('cancelled: the prompt ends cancelled; the cut tool call is failed with status cancelled in _meta', () => {
    const messages = toAcpMessages(loadFixture('cancelled'));
    expect(messages.at(-1)).toMatchObject({
      type: 'prompt/response',
      response: { stopReason: 'cancelled' },
    });
    const last = messages
      .flatMap((message) => (message.type === 'session/update' ? [message.params.update] : []))
      .filter((update) => update.sessionUpdate === 'tool_call_update')
      .at(-1)!;
    expect(last).toMatchObject({
      status: 'failed',
      _meta: { switchboard: { status: 'cancelled' } },
    });
  });

  it('sends events ACP has no update for as _switchboard/event, or drops them when asked', () => {
    const events = loadFixture('multi-tool');
    const withExtensions = toAcpMessages(events).filter(
      (message) => message.type === '_switchboard/event',
    );
    expect(withExtensions.map((message) => message.params.event.type)).toContain('step.started');
    expect(
      toAcpMessages(events, { extensions: false }).some(
        (message) => message.type === '_switchboard/event',
      ),
    ).toBe(false);
  });

  it('turns a failed run into a JSON-RPC error for the prompt', () => {
    const [message] = toAcpMessages([
      {
        v: 1,
        type: 'run.failed',
        seq: 9,
        ts: 1,
        sessionId: 's',
        runId: 'r',
        data: {
          error: { message: 'provider down', code: 'CORE_PROVIDER_UNAVAILABLE', retryable: true },
        },
      },
    ]);
    expect(message).toEqual({
      type: 'prompt/error',
      runId: 'r',
      error: {
        code: -32603,
        message: 'provider down',
        data: { code: 'CORE_PROVIDER_UNAVAILABLE', retryable: true },
      },
    });
  });

  it('passes retries on through the extension method', () => {
    const retries = toAcpMessages(loadFixture('provider-retry')).filter(
      (message) =>
        message.type === ACP_EVENT_METHOD && message.params.event.type === 'generation.retrying',
    );
    expect(retries).toHaveLength(3);
  });

  it('live usage: context fill from every update, cost only from the session total', () => {
    const usages = toAcpMessages(loadFixture('live-usage')).flatMap((message) =>
      message.type === 'session/update' && message.params.update.sessionUpdate === 'usage_update'
        ? [message.params.update]
        : [],
    );
    expect(usages.map((update) => update.size)).toEqual([
      128_000, 128_000, 128_000, 128_000, 128_000,
    ]);
    expect(usages.map((update) => update.cost !== undefined)).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(usages.at(-1)).toMatchObject({ used: 1216, cost: { currency: 'USD' } });
  });

  it('titled: each title becomes a session_info_update, after the prompt response it follows', () => {
    const messages = toAcpMessages(loadFixture('titled'));
    const infos = messages.flatMap((message) =>
      message.type === 'session/update' &&
      message.params.update.sessionUpdate === 'session_info_update'
        ? [message.params.update]
        : [],
    );
    expect(infos).toEqual([
      expect.objectContaining({
        title: 'Three days in Rome',
        updatedAt: expect.stringMatching(/^2026-11-22T12:00:00\.\d{3}Z$/) as string,
        _meta: { switchboard: { titleSource: 'model' } },
      }),
      expect.objectContaining({
        title: 'Rome in May',
        _meta: { switchboard: { titleSource: 'user' } },
      }),
    ]);
    const firstResponse = messages.findIndex((message) => message.type === 'prompt/response');
    const firstInfo = messages.findIndex(
      (message) =>
        message.type === 'session/update' &&
        message.params.update.sessionUpdate === 'session_info_update',
    );
    expect(firstInfo).toBeGreaterThan(firstResponse);
  });

  it('a restored session.started with a title sends it as session_info_update too', () => {
    const base = { v: 1 as const, ts: Date.UTC(2026, 0, 2), sessionId: 's' };
    const messages = toAcpMessages([
      { ...base, seq: 1, type: 'session.started', data: { agent: { name: 'a' } } },
      {
        ...base,
        seq: 2,
        type: 'session.started',
        data: { restored: true, title: 'Rome in May', titleSource: 'user' },
      },
    ]);
    expect(messages.map((message) => message.type)).toEqual([
      '_switchboard/event',
      'session/update',
      '_switchboard/event',
    ]);
    expect(messages[1]).toMatchObject({
      params: {
        update: {
          sessionUpdate: 'session_info_update',
          title: 'Rome in May',
          updatedAt: '2026-01-02T00:00:00.000Z',
          _meta: { switchboard: { titleSource: 'user' } },
        },
      },
    });
  });
});
