import { fixturePath, loadFixture } from '@switchboard/events/fixtures';
import { startLangfuseReceiver } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { replayEventLog } from '../replay/replay-event-log.js';
import { metadataOf } from '../test-helpers/tracing-harness.js';

describe('voice turns in Langfuse (from the voice.* events)', () => {
  it('voice-turn: STT, endpointing, LLM and TTS latencies under the turn, and the playout', async () => {
    const receiver = await startLangfuseReceiver();
    await replayEventLog(fixturePath('voice-turn'), {
      publicKey: 'pk-lf-test',
      secretKey: 'sk-lf-test',
      baseUrl: receiver.baseUrl,
      env: {},
    });
    const spans = receiver.spans();
    await receiver.close();
    const events = loadFixture('voice-turn');
    const byName = (name: string) => spans.filter((span) => span.name === name);
    const one = (name: string) => {
      const found = byName(name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const roots = spans.filter((span) => span.parentSpanId == null);
    expect(roots).toHaveLength(2); // two turns, two traces
    const turn1 = roots.find((root) => root.name.endsWith('Turn 1'))!;

    // One `voice` span in turn 1, from the end of the user's speech to the first audio.
    const voice = one('voice');
    expect([voice.traceId, voice.parentSpanId]).toEqual([turn1.traceId, turn1.spanId]);
    const metricsEvent = events.find((event) => event.type === 'voice.metrics')!;
    expect(voice.endTime).toBe(metricsEvent.ts);
    expect(voice.endTime - voice.startTime).toBe(780);
    expect(metadataOf(voice)).toMatchObject({
      endOfUtteranceDelayMs: 576,
      transcriptionDelayMs: 572,
      timeToFirstAudioMs: 780,
      llmFirstTokenMs: 150,
      ttsFirstAudioMs: 30,
    });
    // Each stage a child of it, lasting its latency.
    const stages = ['stt', 'endpointing', 'llm first token', 'tts first audio'].map(one);
    for (const stage of stages) expect(stage.parentSpanId, stage.name).toBe(voice.spanId);
    expect(stages.map((stage) => stage.endTime - stage.startTime)).toEqual([572, 576, 150, 30]);
    expect(stages.map((stage) => metadataOf(stage).latencyMs)).toEqual([572, 576, 150, 30]);
    const [stt, endpointing, llm, tts] = stages;
    expect(stt!.startTime).toBe(voice.startTime);
    expect(stt!.attributes['langfuse.observation.output']).toBe('what is the weather in paris');
    expect(llm!.startTime).toBe(endpointing!.endTime); // the model starts when the turn is decided
    expect(tts!.endTime).toBe(voice.endTime); // the first audio ends the TTS stage

    // The reply's playout: created in the run, finished after it, 1650 ms spoken.
    const speeches = byName('speech');
    expect(speeches).toHaveLength(2); // sp_2 (turn 1) and sp_3 (turn 2, ended at shutdown)
    const sp2 = speeches.find((span) => metadataOf(span).speechId === 'sp_2')!;
    expect(sp2.parentSpanId).toBe(turn1.spanId);
    const finished = events.find(
      (event) =>
        event.type === 'voice.speech_finished' &&
        (event.data as { speechId: string }).speechId === 'sp_2',
    )!;
    expect(sp2.endTime).toBe(finished.ts);
    expect(metadataOf(sp2)).toMatchObject({
      source: 'generate_reply',
      spokenMs: 1650,
      interrupted: false,
    });
    // The say() before any turn has no trace to join.
    expect(speeches.some((span) => metadataOf(span).speechId === 'sp_1')).toBe(false);
  });
});
