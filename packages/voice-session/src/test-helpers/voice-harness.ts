import { fileURLToPath } from 'node:url';
import { createAgent, type AgentSession } from '@switchboard/agent-core';
import type { AnyEvent } from '@switchboard/events';
import { createScriptedModel } from '@switchboard/testkit';
import { readWav } from '../audio/wav.js';
import { mixAt, type Placed } from '../audio/pcm.js';
import { pumpAudio, TimelineRecorder, type PumpOptions } from '../io/audio-pump.js';
import { VOICE_TIME_META } from '../session/voice-emitter.js';
import { VoiceSession } from '../session/voice-session.js';
import type { VoiceSessionOptions } from '../session/voice-session-options.js';
import { PocketsphinxStt } from '../stt/pocketsphinx-stt.js';
import { EspeakTts } from '../tts/espeak-tts.js';
import type { Tts } from '../tts/tts.js';
import { SileroVad } from '../vad/silero-vad.js';

/** Phrases of the fixtures: the recogniser's grammar (with its filler branch). */
export const PHRASES = [
  'what is the weather in paris',
  'no wait i meant tomorrow',
  'stop',
  'hello how are you today',
  'please book a table',
  'for two at seven',
  'please book a table for two at seven',
];

/** A committed fixture clip (16 kHz mono). */
export function clip(name: string): Int16Array {
  return readWav(fileURLToPath(new URL(`../../fixtures/${name}.wav`, import.meta.url))).pcm;
}

/** Session-clock time of a voice event. */
export const atMs = (event: AnyEvent): number => Number(event.meta?.[VOICE_TIME_META]);

/** The reply the scripted model gives to a user message. */
export const reply = (user: string): string =>
  /weather/.test(user)
    ? '**Sure!** The weather in Paris is sunny 😀 and twenty one degrees, with a light breeze from the west. It should stay dry for the rest of the afternoon and the evening.'
    : /tomorrow/.test(user)
      ? 'Tomorrow it will rain in Paris.'
      : /book/.test(user)
        ? 'Your table is booked.'
        : 'Sorry, could you repeat that?';

let engines: Promise<{ vad: SileroVad; stt: PocketsphinxStt }> | undefined;

/** One VAD and one recogniser per test file (each loads in ~0.1–0.3 s). */
export function loadEngines() {
  engines ??= SileroVad.load().then((vad) => ({
    vad,
    stt: PocketsphinxStt.load({ phrases: PHRASES }),
  }));
  return engines;
}

/** A voice session over a real agent (scripted model, in process), recording events and audio. */
export async function createHarness(
  options: VoiceSessionOptions = {},
  overrides: { tts?: Tts; answer?: (user: string) => string } = {},
) {
  const { vad, stt } = await loadEngines();
  const model = createScriptedModel((call) => {
    const last = call.options.prompt.filter((message) => message.role === 'user').at(-1);
    const text =
      last && Array.isArray(last.content)
        ? last.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
        : '';
    return { text: (overrides.answer ?? reply)(text) };
  });
  let ids = 0;
  const agent = createAgent({
    name: 'voice',
    model,
    instructions: 'You are a voice assistant.',
    generateId: (prefix) => `${prefix}_${++ids}`,
    titles: { enabled: false },
  });
  const agentSession: AgentSession = await agent.createSession();
  const events: AnyEvent[] = [];
  agent.bus.on('*', (event) => events.push(event));
  const output = new TimelineRecorder();
  const tts = overrides.tts ?? new EspeakTts();
  const session = new VoiceSession({
    bus: agent.bus,
    agentSession,
    vad,
    stt,
    tts,
    output,
    options,
  });
  return {
    session,
    agent,
    agentSession,
    events,
    output,
    model,
    vad,
    /** Voice events only, as `[type, data]`. */
    voice: () => events.filter((event) => event.type.startsWith('voice.')),
    of: (type: string) => events.filter((event) => event.type === type),
    run: (durationMs: number, clips: Placed[], pump: PumpOptions = {}) =>
      pumpAudio(session, mixAt(durationMs, clips), pump),
    async close() {
      session.close();
      if (tts instanceof EspeakTts) tts.close();
      await agent.close();
    },
  };
}
