import { createAgent, type VoiceSocket } from '@switchboard/agent-core';
import type { AnyEvent } from '@switchboard/events';
import { createScriptedModel } from '@switchboard/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FRAME_MS, SAMPLE_RATE } from '../audio/pcm.js';
import { data } from '../test-helpers/assertions.js';
import { createWebVoiceEndpoint } from './create-web-voice-endpoint.js';

/** An accepted socket the test drives: it delivers messages and the close, and records what was sent. */
function scriptedSocket() {
  const sent: (string | Uint8Array)[] = [];
  const closedWith: (number | undefined)[] = [];
  const onMessage: ((data: unknown, isBinary: boolean) => void)[] = [];
  const onClose: (() => void)[] = [];
  const socket: VoiceSocket = {
    bufferedAmount: 0,
    readyState: 1,
    send: (message) => void sent.push(message),
    close: (code) => void closedWith.push(code),
    on: (event: 'message' | 'close', listener: (data: unknown, isBinary: boolean) => void) =>
      event === 'message' ? onMessage.push(listener) : onClose.push(() => listener(null, false)),
  };
  return {
    socket,
    closedWith,
    controls: () =>
      sent
        .filter((message) => typeof message === 'string')
        .map((message) => JSON.parse(message) as Record<string, unknown>),
    receive: (text: string) => onMessage.forEach((listener) => listener(Buffer.from(text), false)),
    close: () => onClose.forEach((listener) => listener()),
  };
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * An endpoint on the offline engines, an agent (a scripted model) with its
 * events recorded, and one scripted socket connected and started (`ready`).
 */
async function startedConnection(phrases: string[]) {
  const endpoint = await createWebVoiceEndpoint({
    phrases,
    stt: { provider: 'offline' },
    tts: { provider: 'offline' },
  });
  const agent = createAgent({
    name: 'voice',
    model: createScriptedModel(() => ({ text: 'Hi.' })),
    titles: { enabled: false },
  });
  onTestFinished(() => agent.close());
  const events: AnyEvent[] = [];
  agent.bus.on('*', (event) => events.push(event));
  const session = await agent.createSession();
  const client = scriptedSocket();
  endpoint.connect({ agent, session, socket: client.socket });
  client.receive(JSON.stringify({ type: 'start' }));
  await until(() => client.controls().some((control) => control.type === 'ready'));
  return { endpoint, agent, events, session, client };
}

describe('createWebVoiceEndpoint', () => {
  it('serves a voice session per connection on the offline engines: start answers ready, closing the socket closes the voice session', async () => {
    const { endpoint, events, session, client } = await startedConnection([
      'hello how are you today',
    ]);
    onTestFinished(() => endpoint.close());
    expect(client.controls().find((control) => control.type === 'ready')).toEqual({
      type: 'ready',
      sampleRate: SAMPLE_RATE,
      frameMs: FRAME_MS,
    });

    client.close();
    const closed = (event: AnyEvent) => event.type === 'voice.closed';
    await until(() => events.some(closed));
    expect(events.filter(closed).map((event) => [event.sessionId, data(event)])).toEqual([
      [session.id, { reason: 'input_ended' }],
    ]);
  });

  it('close() ends the open voice sessions while the bus is open: the socket closing after the server closed the agent emits nothing more', async () => {
    const { endpoint, agent, events, client } = await startedConnection([]);

    // The web server's order: the endpoint closes, then the agent (and its bus), then the
    // client's close frame arrives.
    endpoint.close();
    expect(client.closedWith).toEqual([1001]);
    await agent.close();
    expect(() => client.close()).not.toThrow();
    expect(events.filter((event) => event.type === 'voice.closed').map(data)).toEqual([
      { reason: 'input_ended' },
    ]);
  });

  it('a cloud engine without its key fails at start, naming the variable', async () => {
    await expect(
      createWebVoiceEndpoint({
        phrases: [],
        stt: { provider: 'offline' },
        tts: {
          provider: 'elevenlabs',
          apiKeySetting: { key: 'providers.elevenlabs.apiKey', env: 'ELEVENLABS_API_KEY' },
        },
      }),
    ).rejects.toMatchObject({
      code: 'VOICE_ENGINE_UNAVAILABLE',
      message: expect.stringContaining('set ELEVENLABS_API_KEY'),
      details: { provider: 'elevenlabs', variable: 'ELEVENLABS_API_KEY' },
    });
  });
});
