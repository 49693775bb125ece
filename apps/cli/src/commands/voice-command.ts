import type { Command } from 'commander';
import { examples, type LazyAction } from '../program/command-context.js';
import { collect } from '../program/parsers.js';

/** `switchboard voice --in in.wav --out out.wav [--transcript]`. */
export function addVoiceCommand(program: Command, lazy: LazyAction): void {
  program
    .command('voice')
    .description(
      'Run a voice session from a WAV file (16 kHz mono): the agent hears it, answers, and its speech is written to --out. Offline engines by default; cloud ones (OpenAI, Deepgram, ElevenLabs) with --stt/--tts or the voice.* configuration, keys from OPENAI_API_KEY, DEEPGRAM_API_KEY, ELEVENLABS_API_KEY.',
    )
    .requiredOption('--in <file.wav>', 'what the user says (16 kHz mono 16-bit WAV)')
    .requiredOption('--out <file.wav>', "where the agent's audio goes (same timeline as --in)")
    .option('--transcript', 'print the turns as they were spoken')
    .option(
      '--phrase <text>',
      'a phrase the offline recogniser should expect (repeatable; default: voice.phrases)',
      collect,
    )
    .option(
      '--stt <engine>',
      'speech to text: offline (pocketsphinx), openai, deepgram or elevenlabs (default: voice.stt.provider, SWITCHBOARD_VOICE_STT)',
    )
    .option(
      '--tts <engine>',
      'text to speech: offline (espeak-ng), openai, deepgram or elevenlabs (default: voice.tts.provider, SWITCHBOARD_VOICE_TTS)',
    )
    .option('--model <provider:model>', 'the model (default: the config file, SWITCHBOARD_MODEL)')
    .option('--base-url <url>', "the provider's base URL")
    .addHelpText(
      'after',
      examples(
        'switchboard voice --in question.wav --out answer.wav --transcript',
        "switchboard voice --in q.wav --out a.wav --phrase 'what is the weather in paris'",
        'DEEPGRAM_API_KEY=… ELEVENLABS_API_KEY=… switchboard voice --in q.wav --out a.wav --stt deepgram --tts elevenlabs',
      ),
    )
    .action(lazy(async () => (await import('./voice/voice-action.js')).voiceAction));
}
