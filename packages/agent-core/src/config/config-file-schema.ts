import { z } from 'zod';
import type { ConfigKey } from './config-keys.js';

/** The name of the config file, in a project and in `SWITCHBOARD_HOME`. */
export const CONFIG_FILE_NAME = 'switchboard.config.json';

const PROVIDERS = ['openai', 'anthropic', 'openai-compatible', 'ollama'] as const;
/** `voice.mode`: no voice, the offline stack, or cloud speech vendors by default. */
export const VOICE_MODES = ['off', 'offline', 'cloud'] as const;
/** `voice.stt.provider` / `voice.tts.provider`: the offline engine or a cloud vendor. */
export const VOICE_PROVIDERS = ['offline', 'openai', 'deepgram', 'elevenlabs'] as const;
const MODEL_PATTERN = new RegExp(`^(${PROVIDERS.join('|')}):\\S+$`);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const model = z.string().regex(MODEL_PATTERN);
const url = z.string().refine(isHttpUrl);
const secret = z.string().min(1);
const path = z.string().min(1);
/** A libpq URL; it may hold a password, so it is treated as a secret. */
const databaseUrl = z.string().regex(/^postgres(ql)?:\/\/\S+$/);
const host = z.string().min(1);
// 0 asks the OS for a free port (tests, several servers on one machine).
const port = z.number().int().min(0).max(65_535);
// A session lease: long enough to renew (a third of it) on a loaded machine, at most an hour.
const leaseMs = z.number().int().min(1000).max(3_600_000);
// How long an idle session stays leased to the instance that last used it (0: released at once).
const idleReleaseMs = z.number().int().min(0).max(3_600_000);
const voiceMode = z.enum(VOICE_MODES);
const voiceProvider = z.enum(VOICE_PROVIDERS);
const name = z.string().min(1).max(200);
// A phrase the offline recogniser expects; `|` separates them in SWITCHBOARD_VOICE_PHRASES.
const phrase = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^|]+$/);
// A name a reverse proxy sends in `Host` (`chat.example.com`, optionally with `:port`).
const hostName = z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/);
// A browser origin: scheme, host and optional port, nothing else.
const origin = z
  .string()
  .refine((value) => isHttpUrl(value) && new URL(value).origin === value.replace(/\/$/, ''));
/** A list in a variable, `separator` between items (`a.example, b.example`; `one|two`). */
function separatedList<Item extends z.ZodType<unknown, string>>(item: Item, separator = ',') {
  return z
    .string()
    .transform((text) =>
      text
        .split(separator)
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));
}

/**
 * `switchboard.config.json`. Every level is strict: an unknown key is an
 * error that suggests the closest known one, so a typo never silently falls
 * back to a default.
 */
export const configFileSchema = z.strictObject({
  /** Editors' JSON Schema pointer; ignored. */
  $schema: z.string().optional(),
  /** The model, `provider:model`. */
  model: model.optional(),
  /** Models tried in order when the model keeps failing. */
  fallbackModels: z.array(model).optional(),
  /** More models sessions may pick (`createSession({ model })`, `setModel`). */
  models: z.array(model).optional(),
  /** Base URL of `openai-compatible:` models. */
  baseUrl: url.optional(),
  /** API key of `openai-compatible:` models. */
  apiKey: secret.optional(),
  /** Per-provider credentials and URLs. */
  providers: z
    .strictObject({
      openai: z.strictObject({ apiKey: secret.optional(), baseUrl: url.optional() }).optional(),
      anthropic: z.strictObject({ apiKey: secret.optional(), baseUrl: url.optional() }).optional(),
      ollama: z.strictObject({ baseUrl: url.optional() }).optional(),
      /** Deepgram (speech only). */
      deepgram: z.strictObject({ apiKey: secret.optional() }).optional(),
      /** ElevenLabs (speech only). */
      elevenlabs: z.strictObject({ apiKey: secret.optional() }).optional(),
    })
    .optional(),
  /** Where Switchboard keeps its state; only in a project file (the home file lives in it). */
  home: path.optional(),
  /** Store locations; default under `home`. */
  stores: z
    .strictObject({
      sessionsDb: path.optional(),
      eventsDb: path.optional(),
      jsonlDir: path.optional(),
      attachmentsDir: path.optional(),
      /** PostgreSQL instead of the SQLite files (several server instances share it). */
      databaseUrl: databaseUrl.optional(),
      /** How long a crashed instance's session stays locked (ms). */
      leaseMs: leaseMs.optional(),
      /** How long a server keeps an idle session's lease after its last use (ms). */
      idleReleaseMs: idleReleaseMs.optional(),
    })
    .optional(),
  /** Langfuse tracing. */
  tracing: z
    .strictObject({
      langfuse: z
        .strictObject({
          publicKey: secret.optional(),
          secretKey: secret.optional(),
          baseUrl: url.optional(),
        })
        .optional(),
    })
    .optional(),
  /** The web server. */
  server: z
    .strictObject({
      host: host.optional(),
      port: port.optional(),
      token: secret.optional(),
      /** Host names (behind a reverse proxy) accepted besides the loopback names. */
      allowedHosts: z.array(hostName).optional(),
      /** Origins allowed to call the API from a browser (CORS); none by default. */
      allowedOrigins: z.array(origin).optional(),
    })
    .optional(),
  /** Voice sessions (`switchboard voice`, the web app's voice mode). */
  voice: z
    .strictObject({
      mode: voiceMode.optional(),
      /** Phrases the offline recogniser expects (a grammar); none: its generic model. */
      phrases: z.array(phrase).optional(),
      /** Speech to text: `offline` (pocketsphinx) or a cloud vendor. */
      stt: z
        .strictObject({
          provider: voiceProvider.optional(),
          model: name.optional(),
          baseUrl: url.optional(),
        })
        .optional(),
      /** Text to speech: `offline` (espeak-ng) or a cloud vendor. */
      tts: z
        .strictObject({
          provider: voiceProvider.optional(),
          model: name.optional(),
          voice: name.optional(),
          baseUrl: url.optional(),
        })
        .optional(),
    })
    .optional(),
});

/** A parsed `switchboard.config.json`. */
export type ConfigFile = z.output<typeof configFileSchema>;

const digits = z
  .string()
  .regex(/^\d+$/)
  .transform((text) => Number(text));

/**
 * How each key's value is checked when it arrives as text (an environment
 * variable or a flag), and what a wrong one is told, in words.
 */
export const CONFIG_VALUE_RULES: {
  readonly [Key in ConfigKey]: {
    readonly fromText: z.ZodType<unknown, string>;
    readonly expected: string;
  };
} = {
  model: {
    fromText: model,
    expected: `must be a "provider:model" string like "openai:gpt-4o-mini" (providers: ${PROVIDERS.join(', ')})`,
  },
  fallbackModels: {
    fromText: model,
    expected: 'must be a list of "provider:model" strings like ["anthropic:claude-sonnet-4-5"]',
  },
  models: {
    fromText: model,
    expected: 'must be a list of "provider:model" strings like ["openai:gpt-4.1"]',
  },
  baseUrl: { fromText: url, expected: 'must be an http(s) URL like "http://127.0.0.1:8080/v1"' },
  apiKey: { fromText: secret, expected: 'must be a non-empty string' },
  'providers.openai.apiKey': { fromText: secret, expected: 'must be a non-empty string' },
  'providers.openai.baseUrl': {
    fromText: url,
    expected: 'must be an http(s) URL like "https://api.openai.com/v1"',
  },
  'providers.anthropic.apiKey': { fromText: secret, expected: 'must be a non-empty string' },
  'providers.anthropic.baseUrl': {
    fromText: url,
    expected: 'must be an http(s) URL like "https://api.anthropic.com/v1"',
  },
  'providers.ollama.baseUrl': {
    fromText: url,
    expected: 'must be an http(s) URL like "http://127.0.0.1:11434/v1"',
  },
  'providers.deepgram.apiKey': { fromText: secret, expected: 'must be a non-empty string' },
  'providers.elevenlabs.apiKey': { fromText: secret, expected: 'must be a non-empty string' },
  home: { fromText: path, expected: 'must be a directory path like "~/.switchboard"' },
  'stores.sessionsDb': { fromText: path, expected: 'must be a file path like "sessions.db"' },
  'stores.eventsDb': { fromText: path, expected: 'must be a file path like "events.db"' },
  'stores.jsonlDir': { fromText: path, expected: 'must be a directory path like "events"' },
  'stores.attachmentsDir': {
    fromText: path,
    expected: 'must be a directory path like "attachments"',
  },
  'stores.databaseUrl': {
    fromText: databaseUrl,
    expected:
      'must be a PostgreSQL URL like "postgres://user:password@db.example:5432/switchboard"',
  },
  'stores.leaseMs': {
    fromText: digits.pipe(leaseMs),
    expected: 'must be milliseconds from 1000 to 3600000, like "30000"',
  },
  'stores.idleReleaseMs': {
    fromText: digits.pipe(idleReleaseMs),
    expected: 'must be milliseconds from 0 to 3600000, like "1000"',
  },
  'tracing.langfuse.publicKey': { fromText: secret, expected: 'must be a non-empty string' },
  'tracing.langfuse.secretKey': { fromText: secret, expected: 'must be a non-empty string' },
  'tracing.langfuse.baseUrl': {
    fromText: url,
    expected: 'must be an http(s) URL like "https://cloud.langfuse.com"',
  },
  'server.host': { fromText: host, expected: 'must be a host name or IP address like "127.0.0.1"' },
  'server.port': { fromText: digits.pipe(port), expected: 'must be a port number from 0 to 65535' },
  'server.token': { fromText: secret, expected: 'must be a non-empty string' },
  'server.allowedHosts': {
    fromText: separatedList(hostName),
    expected: 'must be comma-separated host names like "chat.example.com,chat.example.com:8443"',
  },
  'server.allowedOrigins': {
    fromText: separatedList(origin),
    expected: 'must be comma-separated origins like "https://chat.example.com"',
  },
  'voice.mode': { fromText: voiceMode, expected: `must be one of ${VOICE_MODES.join(', ')}` },
  'voice.phrases': {
    fromText: separatedList(phrase, '|'),
    expected: 'must be phrases separated by "|" like "what is the weather|stop"',
  },
  'voice.stt.provider': {
    fromText: voiceProvider,
    expected: `must be one of ${VOICE_PROVIDERS.join(', ')}`,
  },
  'voice.stt.model': { fromText: name, expected: 'must be a model id like "nova-3"' },
  'voice.stt.baseUrl': {
    fromText: url,
    expected: 'must be an http(s) URL like "http://127.0.0.1:4010" (the vendor\'s paths are kept)',
  },
  'voice.tts.provider': {
    fromText: voiceProvider,
    expected: `must be one of ${VOICE_PROVIDERS.join(', ')}`,
  },
  'voice.tts.model': { fromText: name, expected: 'must be a model id like "gpt-4o-mini-tts"' },
  'voice.tts.voice': { fromText: name, expected: 'must be a voice name or id like "alloy"' },
  'voice.tts.baseUrl': {
    fromText: url,
    expected: 'must be an http(s) URL like "http://127.0.0.1:4010" (the vendor\'s paths are kept)',
  },
};
