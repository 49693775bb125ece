import type { AddressInfo } from 'node:net';
import { createAgent } from '@switchboard/agent-core';
import type { AnyEvent } from '@switchboard/events';
import { createScriptedModel } from '@switchboard/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { FRAME_SAMPLES, concatPcm, mixAt, toFrames } from '../audio/pcm.js';
import { VoiceSession } from '../session/voice-session.js';
import { data, userMessages } from '../test-helpers/assertions.js';
import { clip, loadEngines, reply } from '../test-helpers/voice-harness.js';
import { EspeakTts } from '../tts/espeak-tts.js';
import { serveVoiceSocket } from './serve-voice-socket.js';
import { WebSocketAudioInput } from './websocket-audio-input.js';
import { WebSocketAudioOutput } from './websocket-audio-output.js';
import type { AudioSocket } from './voice-socket-protocol.js';

const le = (samples: number[]) => {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  samples.forEach((sample, index) => view.setInt16(index * 2, sample, true));
  return bytes;
};

/** A socket whose unsent byte count the test sets (the back-pressure signal). */
function recordingSocket() {
  const sent: (string | Uint8Array)[] = [];
  const socket: AudioSocket & { bufferedAmount: number } = {
    bufferedAmount: 0,
    readyState: 1,
    send: (message: string | Uint8Array) => void sent.push(message),
    close: () => undefined,
    on: () => undefined,
  };
  return { socket, sent };
}

describe('WebSocketAudioInput', () => {
  it('frames little-endian bytes arriving in chunks of any size into whole 20 ms frames', async () => {
    const input = new WebSocketAudioInput();
    const samples = Array.from({ length: FRAME_SAMPLES * 2 + 7 }, (_, index) => index - 300);
    const bytes = le(samples);
    // Odd chunk sizes split samples across messages.
    for (let offset = 0; offset < bytes.length; offset += 333)
      input.push(bytes.subarray(offset, offset + 333));
    input.end();
    const frames: Int16Array[] = [];
    for await (const frame of input.frames()) frames.push(frame);
    expect(frames).toHaveLength(2);
    expect([...concatPcm(frames)]).toEqual(samples.slice(0, FRAME_SAMPLES * 2));
  });

  it('drops the oldest frames beyond maxQueuedFrames (a session behind real time)', async () => {
    const input = new WebSocketAudioInput({ maxQueuedFrames: 3 });
    for (let index = 0; index < 5; index++) input.push(le(new Array(FRAME_SAMPLES).fill(index)));
    expect(input.queued).toBe(3);
    expect(input.dropped).toBe(2);
    input.end();
    const firsts: number[] = [];
    for await (const frame of input.frames()) firsts.push(frame[0]!);
    expect(firsts).toEqual([2, 3, 4]);
  });
});

describe('WebSocketAudioOutput', () => {
  it('sends non-silent frames as PCM16 LE, holds them back while the socket is above the high-water mark, and bounds the queue', () => {
    const { socket, sent } = recordingSocket();
    const output = new WebSocketAudioOutput(socket, { highWaterBytes: 1000, maxQueuedFrames: 2 });
    output.write(new Int16Array(FRAME_SAMPLES)); // silence: nothing sent
    output.write(new Int16Array(FRAME_SAMPLES).fill(-2));
    expect(sent).toHaveLength(1);
    expect(new DataView((sent[0] as Uint8Array).buffer).getInt16(0, true)).toBe(-2);
    socket.bufferedAmount = 5000;
    for (let index = 1; index <= 3; index++)
      output.write(new Int16Array(FRAME_SAMPLES).fill(index));
    expect(sent).toHaveLength(1);
    expect(output.queued).toBe(2);
    expect(output.dropped).toBe(1);
    socket.bufferedAmount = 0;
    output.pump();
    expect(
      sent.slice(1).map((bytes) => new DataView((bytes as Uint8Array).buffer).getInt16(0, true)),
    ).toEqual([2, 3]);
  });

  it('flush() drops what is queued and tells the client to clear its playback', () => {
    const { socket, sent } = recordingSocket();
    const output = new WebSocketAudioOutput(socket);
    socket.bufferedAmount = 1e9;
    output.write(new Int16Array(FRAME_SAMPLES).fill(5));
    output.flush();
    socket.bufferedAmount = 0;
    output.pump();
    expect(sent).toEqual(['{"type":"clear"}']);
  });
});

describe('serveVoiceSocket (real ws on loopback, Silero + pocketsphinx + espeak-ng, scripted model)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a spoken question becomes a voice user message, the answer streams back as audio, speaking over it interrupts it (clear, listening)', async () => {
    const { vad, stt } = await loadEngines();
    const model = createScriptedModel((call) => {
      const last = call.options.prompt.filter((message) => message.role === 'user').at(-1);
      const text =
        last && Array.isArray(last.content)
          ? last.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
          : '';
      return { text: reply(text) };
    });
    const agent = createAgent({ name: 'voice', model, titles: { enabled: false } });
    cleanups.push(() => agent.close());
    const agentSession = await agent.createSession();
    const events: AnyEvent[] = [];
    agent.bus.on('*', (event) => events.push(event));

    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await new Promise((resolve) => server.once('listening', resolve));
    const served: ReturnType<typeof serveVoiceSocket>[] = [];
    server.on('connection', (socket) =>
      served.push(
        serveVoiceSocket({
          socket,
          bus: agent.bus,
          sessionId: agentSession.id,
          createSession: (output) =>
            new VoiceSession({
              bus: agent.bus,
              agentSession,
              vad,
              stt,
              tts: new EspeakTts(),
              output,
            }),
        }),
      ),
    );
    const { port } = server.address() as AddressInfo;
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    cleanups.push(() => client.close());
    const controls: Record<string, unknown>[] = [];
    let audioSamples = 0;
    client.on('message', (message: Buffer, isBinary) => {
      if (isBinary) {
        audioSamples += message.length / 2;
      } else controls.push(JSON.parse(message.toString()) as Record<string, unknown>);
    });
    await new Promise((resolve) => client.once('open', resolve));
    client.send(JSON.stringify({ type: 'start' }));
    await until(() => controls.some((control) => control.type === 'ready'));

    // Streams 20 ms frames at ~4x real time, until `done` says stop.
    const stream = async (pcm: Int16Array, done: () => boolean = () => false) => {
      for (const frame of toFrames(pcm)) {
        if (done()) return;
        const bytes = new Uint8Array(frame.buffer);
        client.send(bytes);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const agentState = () => controls.filter((control) => control.type === 'state').at(-1)?.agent;
    await stream(mixAt(3500, [{ atMs: 300, pcm: clip('weather') }]));
    await stream(mixAt(20_000, []), () => agentState() === 'speaking' && audioSamples > 16_000);
    expect(agentState()).toBe('speaking');
    expect(userMessages(events)).toEqual(['what is the weather in paris']);
    expect(events.find((event) => event.type === 'user.message')!.data).toMatchObject({
      source: 'voice',
    });
    // Barge in with "no wait I meant tomorrow".
    const before = audioSamples;
    await stream(mixAt(4000, [{ atMs: 0, pcm: clip('tomorrow') }]), () =>
      events.some((event) => event.type === 'voice.speech_interrupted'),
    );
    await until(() => events.some((event) => event.type === 'voice.speech_interrupted'));
    await until(() => controls.some((control) => control.type === 'clear'));
    expect(audioSamples).toBeGreaterThan(before);
    const interrupted = events.find((event) => event.type === 'voice.speech_interrupted')!;
    expect(data(interrupted).reason).toMatch(/user_/);
    await until(() => agentState() !== 'speaking');
    // State messages carry both states: the agent's, without repeats.
    const states = controls
      .filter((control) => control.type === 'state')
      .map((control) => control.agent)
      .filter((state, index, all) => state !== all[index - 1]);
    expect(states.slice(0, 4)).toEqual(['initializing', 'listening', 'thinking', 'speaking']);
    expect(states.slice(4)).not.toContain('initializing');
    expect(served[0]!.output.dropped).toBe(0);

    client.send(JSON.stringify({ type: 'bogus' }));
    await until(() => controls.some((control) => control.type === 'error'));
    client.send(JSON.stringify({ type: 'stop' }));
    await served[0]!.done;
    await until(() => events.some((event) => event.type === 'voice.closed'));
    expect(events.filter((event) => event.type === 'voice.closed').map(data)).toEqual([
      { reason: 'user_initiated' },
    ]);
  }, 90_000);
});

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
