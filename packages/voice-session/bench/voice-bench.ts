// End of user speech → first agent audio, with the offline stack (Silero, pocketsphinx with the
// fixture grammar, espeak-ng) and the testkit model server in a separate process, input paced in
// real time. Run: pnpm --filter @switchboard/voice-session bench
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createAgent } from '@switchboard/agent-core';
import {
  EspeakTts,
  PocketsphinxStt,
  SileroVad,
  VoiceSession,
  mixAt,
  pumpAudio,
  readWav,
  type Stt,
} from '../src/index.js';
import { PHRASES } from '../src/test-helpers/voice-harness.js';

const ROUNDS = Number(process.env.ROUNDS ?? 16);
const CLIPS = ['weather', 'tomorrow', 'hello', 'book-a', 'book-b'];
const fixture = (name: string) =>
  readWav(fileURLToPath(new URL(`../fixtures/${name}.wav`, import.meta.url))).pcm;

async function startServer(): Promise<{ baseUrl: string; stop: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'voice-bench-'));
  const script = path.join(dir, 'script.json');
  writeFileSync(
    script,
    JSON.stringify({ turns: [{ text: 'It is sunny in Paris. Enjoy your day!' }], loop: true }),
  );
  const bin = fileURLToPath(new URL('../../testkit/bin/switchboard-testkit.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve-model', '--script', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).once('line', resolve),
  );
  return { baseUrl: (JSON.parse(line) as { baseUrl: string }).baseUrl, stop: () => child.kill() };
}

/** Wraps an STT to time its finalisation (the part on the critical path). */
function timedStt(stt: Stt, finals: number[]): Stt {
  return {
    label: stt.label,
    createStream() {
      const inner = stt.createStream();
      return {
        push: (pcm) => inner.push(pcm),
        interim: () => inner.interim(),
        cancel: () => inner.cancel(),
        finish() {
          const started = performance.now();
          const result = inner.finish();
          finals.push(performance.now() - started);
          return result;
        },
      };
    },
  };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const median = (values: number[]) => quantile(values, 0.5);
const fmt = (values: number[]) =>
  `min ${Math.min(...values).toFixed(1)} / p50 ${median(values).toFixed(1)} / p95 ${quantile(values, 0.95).toFixed(1)} / max ${Math.max(...values).toFixed(1)} ms`;

async function engineRtf(vad: SileroVad, stt: PocketsphinxStt, tts: EspeakTts) {
  let audioMs = 0;
  let vadMs = 0;
  let sttMs = 0;
  let ttsMs = 0;
  let ttsAudioMs = 0;
  for (const name of CLIPS) {
    const pcm = mixAt(fixture(name).length / 16 + 1000, [{ atMs: 500, pcm: fixture(name) }]);
    audioMs += pcm.length / 16;
    let started = performance.now();
    await vad.speechSpans(pcm);
    vadMs += performance.now() - started;
    started = performance.now();
    const stream = stt.createStream();
    stream.push(pcm);
    await stream.finish();
    sttMs += performance.now() - started;
    started = performance.now();
    const audio = await tts.synthesize('It is sunny in Paris. Enjoy your day!');
    ttsMs += performance.now() - started;
    ttsAudioMs += audio.pcm.length / 16;
  }
  return { vad: vadMs / audioMs, stt: sttMs / audioMs, tts: ttsMs / ttsAudioMs };
}

const server = await startServer();
const tts = new EspeakTts();
try {
  const vad = await SileroVad.load();
  const stt = PocketsphinxStt.load({ phrases: PHRASES });
  await tts.synthesize('warm up');
  const rtf = await engineRtf(vad, stt, tts);
  const agent = createAgent({
    name: 'bench',
    model: 'openai-compatible:test-model',
    instructions: 'Answer briefly.',
    env: { SWITCHBOARD_BASE_URL: server.baseUrl },
    titles: { enabled: false },
  });
  const rows = {
    ttfa: [] as number[],
    eou: [] as number[],
    stt: [] as number[],
    llm: [] as number[],
    tts: [] as number[],
    overhead: [] as number[],
  };
  for (let round = 0; round < ROUNDS; round++) {
    const agentSession = await agent.createSession();
    const finals: number[] = [];
    const session = new VoiceSession({
      bus: agent.bus,
      agentSession,
      vad,
      stt: timedStt(stt, finals),
      tts,
    });
    let metrics: Record<string, number> | undefined;
    const off = agent.bus.on('voice.metrics', (event) => {
      if (event.sessionId === agentSession.id) metrics = event.data as Record<string, number>;
    });
    const name = CLIPS[round % CLIPS.length]!;
    const clip = fixture(name);
    await pumpAudio(session, mixAt(clip.length / 16 + 3000, [{ atMs: 500, pcm: clip }]), {
      pace: 'realtime',
    });
    await agent.bus.flush();
    off();
    session.close('input_ended');
    await agentSession.close();
    if (!metrics) throw new Error(`round ${round} (${name}): no reply audio`);
    const overhead =
      metrics.timeToFirstAudioMs! - metrics.endOfUtteranceDelayMs! - metrics.llmFirstTokenMs!;
    rows.ttfa.push(metrics.timeToFirstAudioMs!);
    rows.eou.push(metrics.endOfUtteranceDelayMs!);
    rows.stt.push(finals.at(-1) ?? 0);
    rows.llm.push(metrics.llmFirstTokenMs!);
    rows.tts.push(metrics.ttsFirstAudioMs!);
    rows.overhead.push(overhead);
    process.stdout.write(`round ${round + 1}/${ROUNDS} ${name}: ${JSON.stringify(metrics)}\n`);
  }
  await agent.close();
  const share = (values: number[]) =>
    `${((median(values) / median(rows.ttfa)) * 100).toFixed(0)} %`;
  process.stdout.write(
    [
      '',
      `rounds: ${ROUNDS} (fixtures ${CLIPS.join(', ')}, real-time input)`,
      `end of speech → first agent audio: ${fmt(rows.ttfa)}`,
      `  VAD hangover / endpointing (policy): ${fmt(rows.eou)} (${share(rows.eou)})`,
      `  STT finalise:                        ${fmt(rows.stt)}`,
      `  LLM first token (model server):      ${fmt(rows.llm)} (${share(rows.llm)})`,
      `  TTS first audio (espeak-ng):         ${fmt(rows.tts)} (${share(rows.tts)})`,
      `  pipeline overhead (TTFA − endpointing − LLM first token): ${fmt(rows.overhead)}`,
      `engine real-time factors: VAD ${rtf.vad.toFixed(4)}, STT ${rtf.stt.toFixed(4)}, TTS ${rtf.tts.toFixed(4)}`,
      '',
    ].join('\n'),
  );
} finally {
  tts.close();
  server.stop();
}
