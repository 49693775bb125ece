import type { Command } from 'commander';
import { loadCliConfig } from '../../config/load-cli-config.js';
import type { CommandContext } from '../../program/command-context.js';
import { importOptional } from '../../runtime/import-optional.js';
import { openCliAgent } from '../../runtime/open-cli-agent.js';
import { newSessionId, openSession } from '../../runtime/open-session.js';

interface VoiceFlags {
  in: string;
  out: string;
  transcript?: true;
  phrase?: string[];
  stt?: string;
  tts?: string;
  model?: string;
  baseUrl?: string;
}

/** Trailing silence after the input, so the last turn's answer is heard to its end. */
const TAIL_MS = 12_000;

/**
 * `switchboard voice`: the same engine as the voice-session tests over a WAV
 * file, paced as fast as it goes, with the engines the configuration names
 * (`--stt`/`--tts` > `SWITCHBOARD_VOICE_STT|TTS` > `voice.*` in the config
 * files > offline: Silero, pocketsphinx, espeak-ng); the session is stored
 * like any CLI session.
 */
export async function voiceAction(context: CommandContext, command: Command): Promise<number> {
  const flags = command.opts<VoiceFlags>();
  const voice = await importOptional(
    '@switchboard/voice-session',
    () => import('@switchboard/voice-session'),
    'voice',
  );
  const input = voice.readWav(flags.in);
  if (input.sampleRate !== voice.SAMPLE_RATE)
    throw new voice.VoiceError({
      code: 'VOICE_INVALID_AUDIO',
      message: `${flags.in} is ${input.sampleRate} Hz; voice needs 16000 Hz mono (sox in.wav -r 16000 -c 1 out.wav).`,
    });
  const config = await loadCliConfig(context, flags);
  // A cloud engine without its key fails here, before the agent opens.
  const engines = await voice.createVoiceEngines({
    ...config.voice,
    phrases: flags.phrase ?? config.voice.phrases,
  });
  const cli = await openCliAgent(config, {
    cwd: context.io.cwd,
    env: context.io.env,
    tools: false,
    clarify: false,
    onError: (error) => context.output.debug(`${error.name}: ${error.message}`),
  });
  try {
    const agentSession = await openSession(cli.agent, newSessionId(), { create: true });
    const output = new voice.TimelineRecorder();
    const session = new voice.VoiceSession({
      bus: cli.bus,
      agentSession,
      ...engines,
      output,
    });
    const durationMs = (input.pcm.length * 1000) / voice.SAMPLE_RATE + TAIL_MS;
    await voice.pumpAudio(session, voice.mixAt(durationMs, [{ atMs: 0, pcm: input.pcm }]));
    session.close('input_ended');
    voice.writeWav(flags.out, output.pcm(), voice.SAMPLE_RATE);
    await agentSession.idle();
    await cli.bus.flush();
    if (flags.transcript)
      for (const item of session.history)
        context.output.line(
          `${item.role === 'user' ? 'user' : 'agent'}: ${item.text}${item.interrupted ? ' [interrupted]' : ''}`,
        );
    context.output.info(
      `session ${agentSession.id}: ${session.history.length} turn(s), audio in ${flags.out}`,
    );
    return 0;
  } finally {
    engines.tts.close?.(); // its warm espeak-ng process
    await cli.close();
  }
}
