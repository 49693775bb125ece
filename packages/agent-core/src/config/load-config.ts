import { readFile as readFileFromDisk } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { envSchema } from '@switchboard/events/internal';
import { z } from 'zod';
import { AgentCoreError, parseCoreOptions } from '../errors/agent-core-error.js';
import { CONFIG_FILE_NAME, CONFIG_VALUE_RULES, type ConfigFile } from './config-file-schema.js';
import { CONFIG_KEYS, flagName, type ConfigKey } from './config-keys.js';
import {
  isMissing,
  readConfigFile,
  type ConfigIssue,
  type LoadedConfigFile,
  type ReadTextFile,
} from './read-config-file.js';
import { resolveConfigPath } from './resolve-config-path.js';
import { findWarnings } from './config-warnings.js';
import { resolveVoiceConfig, voiceKeyWarnings } from './voice-config.js';
import { DEFAULT_LEASE_MS } from '../sessions/session-lease.js';
import type {
  ConfigAgentOptions,
  ConfigSource,
  ProviderConnection,
  SwitchboardConfig,
} from './switchboard-config.js';

const text = z.string().optional();

/** Options of {@link loadConfig}; every one has a real default, tests inject them all. */
export const loadConfigInputSchema = z.object({
  /** Values from the command line (highest precedence); `undefined` ones are ignored. */
  flags: z
    .strictObject({
      model: text,
      baseUrl: text,
      apiKey: text,
      home: text,
      host: text,
      /** A string as the CLI parsed it, or a number. */
      port: z.union([z.string(), z.number()]).optional(),
      token: text,
      /** `switchboard voice --stt`: `offline` or a cloud vendor. */
      stt: text,
      /** `switchboard voice --tts`: `offline` or a cloud vendor. */
      tts: text,
    })
    .default({}),
  /** The environment; empty values count as unset. @default process.env */
  env: envSchema.optional(),
  /** Where the project config file search starts. @default process.cwd() */
  cwd: z.string().min(1).optional(),
  /** The user's home directory, for `~` and the default `SWITCHBOARD_HOME`. @default os.homedir() */
  homeDir: z.string().min(1).optional(),
  /** Reads a file as UTF-8. @default fs.promises.readFile */
  readFile: z
    .custom<ReadTextFile>((value) => typeof value === 'function', {
      message: 'expected a function (path) => Promise<string>',
    })
    .optional(),
});

/** What you pass to {@link loadConfig}. */
export type LoadConfigInput = z.input<typeof loadConfigInputSchema>;
/** The flags {@link loadConfig} takes. */
export type ConfigFlags = NonNullable<LoadConfigInput['flags']>;

const DEFAULT_PORT = 8420;

interface Picked<T> {
  value: T | undefined;
  source: ConfigSource;
}

/**
 * Loads the configuration shared by the CLI and the web server. Each key is
 * taken from the first of: a flag, an environment variable, the project's
 * `switchboard.config.json` (found from `cwd` up to the git root), the one in
 * `SWITCHBOARD_HOME`, the default. Nothing is written or created.
 *
 * Throws `CORE_CONFIG_INVALID` listing every wrong value and unknown key with
 * its source, `CORE_CONFIG_SYNTAX` (line and column) for a file that is not
 * JSON, and `CORE_CONFIG_UNREADABLE` for a file that cannot be read.
 *
 * ```ts
 * const config = await loadConfig({ flags: { model: options.model, port: options.port } });
 * const agent = createAgent({ ...config.agent, store: new SqliteSessionStore({ path: config.stores.sessionsDb }) });
 * ```
 */
export async function loadConfig(input: LoadConfigInput = {}): Promise<SwitchboardConfig> {
  const options = parseCoreOptions(loadConfigInputSchema, input);
  const flags = options.flags;
  const env = Object.fromEntries(
    Object.entries(options.env ?? envSchema.parse(process.env)).filter(([, value]) => value !== ''),
  );
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const homeDir = path.resolve(options.homeDir ?? os.homedir());
  const readFile = options.readFile ?? ((file: string) => readFileFromDisk(file, 'utf8'));

  const issues: ConfigIssue[] = [];
  const layers: LoadedConfigFile[] = [];
  const project = await findProjectConfig(cwd, readFile);
  if (project) layers.push(project);

  function pick<T>(
    key: ConfigKey,
    fromFile: (data: ConfigFile) => T | undefined,
    fromText: (text: string) => T,
  ): Picked<T> {
    const spec = CONFIG_KEYS.find((candidate) => candidate.key === key)!;
    // The flag, else the first variable set: text, checked like the file's values.
    const variable = spec.env.find((name) => env[name] !== undefined);
    const given =
      'flag' in spec && flags[spec.flag] !== undefined
        ? { text: String(flags[spec.flag]), name: flagName(spec.flag), kind: 'flag' as const }
        : variable === undefined
          ? undefined
          : { text: env[variable]!, name: variable, kind: 'env' as const };
    if (given) {
      const source: ConfigSource = { kind: given.kind, name: given.name };
      const rule = CONFIG_VALUE_RULES[key];
      if (rule.fromText.safeParse(given.text).success) {
        return { value: fromText(given.text), source };
      }
      const got = 'secret' in spec && spec.secret ? '' : ` (got ${JSON.stringify(given.text)})`;
      issues.push({ source: given.name, key, problem: `${rule.expected}${got}` });
      return { value: undefined, source };
    }
    for (const layer of layers) {
      const value = fromFile(layer.data);
      if (value !== undefined) {
        return { value, source: { kind: 'file', path: layer.path } };
      }
    }
    return {
      value: undefined,
      source: 'default' in spec ? { kind: 'default' } : { kind: 'unset' },
    };
  }
  const pickText = (key: ConfigKey, fromFile: (data: ConfigFile) => string | undefined) =>
    pick(key, fromFile, (value) => value);
  const pickPath = (
    key: ConfigKey,
    fromFile: (data: ConfigFile) => string | undefined,
    fallback: string,
  ) => {
    const picked = pickText(key, fromFile);
    // A path in a file is relative to that file; one from a flag or variable, to the working directory.
    const baseDir = picked.source.kind === 'file' ? path.dirname(picked.source.path) : cwd;
    const value =
      picked.value === undefined ? fallback : resolveConfigPath(picked.value, baseDir, homeDir);
    return { value, source: picked.source };
  };

  const home = pickPath('home', (data) => data.home, path.join(homeDir, '.switchboard'));
  const homeFile = await readConfigFile(path.join(home.value, CONFIG_FILE_NAME), readFile, {
    isHomeFile: true,
  });
  if (homeFile && homeFile.path !== project?.path) layers.push(homeFile);
  for (const layer of layers) issues.push(...layer.issues);

  const model = pickText('model', (data) => data.model);
  // Files only: no flag or variable takes a list.
  const fallbackModels = pick(
    'fallbackModels',
    (data) => data.fallbackModels,
    (value) => [value],
  );
  const models = pick(
    'models',
    (data) => data.models,
    (value) => [value],
  );
  const baseUrl = pickText('baseUrl', (data) => data.baseUrl);
  const apiKey = pickText('apiKey', (data) => data.apiKey);
  const openaiKey = pickText('providers.openai.apiKey', (data) => data.providers?.openai?.apiKey);
  const openaiUrl = pickText('providers.openai.baseUrl', (data) => data.providers?.openai?.baseUrl);
  const anthropicKey = pickText(
    'providers.anthropic.apiKey',
    (data) => data.providers?.anthropic?.apiKey,
  );
  const anthropicUrl = pickText(
    'providers.anthropic.baseUrl',
    (data) => data.providers?.anthropic?.baseUrl,
  );
  const ollamaUrl = pickText('providers.ollama.baseUrl', (data) => data.providers?.ollama?.baseUrl);
  const deepgramKey = pickText(
    'providers.deepgram.apiKey',
    (data) => data.providers?.deepgram?.apiKey,
  );
  const elevenlabsKey = pickText(
    'providers.elevenlabs.apiKey',
    (data) => data.providers?.elevenlabs?.apiKey,
  );
  const sessionsDb = pickPath(
    'stores.sessionsDb',
    (data) => data.stores?.sessionsDb,
    path.join(home.value, 'sessions.db'),
  );
  const eventsDb = pickPath(
    'stores.eventsDb',
    (data) => data.stores?.eventsDb,
    path.join(home.value, 'events.db'),
  );
  const jsonlDir = pickPath(
    'stores.jsonlDir',
    (data) => data.stores?.jsonlDir,
    path.join(home.value, 'events'),
  );
  const attachmentsDir = pickPath(
    'stores.attachmentsDir',
    (data) => data.stores?.attachmentsDir,
    path.join(home.value, 'attachments'),
  );
  const databaseUrl = pickText('stores.databaseUrl', (data) => data.stores?.databaseUrl);
  const leaseMs = pick('stores.leaseMs', (data) => data.stores?.leaseMs, Number);
  const idleReleaseMs = pick('stores.idleReleaseMs', (data) => data.stores?.idleReleaseMs, Number);
  const langfusePublic = pickText(
    'tracing.langfuse.publicKey',
    (data) => data.tracing?.langfuse?.publicKey,
  );
  const langfuseSecret = pickText(
    'tracing.langfuse.secretKey',
    (data) => data.tracing?.langfuse?.secretKey,
  );
  const langfuseUrl = pickText(
    'tracing.langfuse.baseUrl',
    (data) => data.tracing?.langfuse?.baseUrl,
  );
  const host = pickText('server.host', (data) => data.server?.host);
  const port = pick('server.port', (data) => data.server?.port, Number);
  const token = pickText('server.token', (data) => data.server?.token);
  const allowedHosts = pick('server.allowedHosts', (data) => data.server?.allowedHosts, splitList);
  const allowedOrigins = pick(
    'server.allowedOrigins',
    (data) => data.server?.allowedOrigins,
    (text) => splitList(text).map((value) => value.replace(/\/$/, '')),
  );
  const voice = resolveVoiceConfig(pick, {
    openai: openaiKey.value,
    deepgram: deepgramKey.value,
    elevenlabs: elevenlabsKey.value,
  });

  if (issues.length > 0) throw invalid(issues);

  const settings: SwitchboardConfig['settings'] = {
    model,
    fallbackModels: { ...fallbackModels, value: fallbackModels.value ?? [] },
    models: { ...models, value: models.value ?? [] },
    baseUrl,
    apiKey,
    'providers.openai.apiKey': openaiKey,
    'providers.openai.baseUrl': openaiUrl,
    'providers.anthropic.apiKey': anthropicKey,
    'providers.anthropic.baseUrl': anthropicUrl,
    'providers.ollama.baseUrl': ollamaUrl,
    'providers.deepgram.apiKey': deepgramKey,
    'providers.elevenlabs.apiKey': elevenlabsKey,
    home,
    'stores.sessionsDb': sessionsDb,
    'stores.eventsDb': eventsDb,
    'stores.jsonlDir': jsonlDir,
    'stores.attachmentsDir': attachmentsDir,
    'stores.databaseUrl': databaseUrl,
    'stores.leaseMs': { ...leaseMs, value: leaseMs.value ?? DEFAULT_LEASE_MS },
    'stores.idleReleaseMs': idleReleaseMs,
    'tracing.langfuse.publicKey': langfusePublic,
    'tracing.langfuse.secretKey': langfuseSecret,
    'tracing.langfuse.baseUrl': langfuseUrl,
    'server.host': { ...host, value: host.value ?? '127.0.0.1' },
    'server.port': { ...port, value: port.value ?? DEFAULT_PORT },
    'server.token': token,
    'server.allowedHosts': { ...allowedHosts, value: allowedHosts.value ?? [] },
    'server.allowedOrigins': { ...allowedOrigins, value: allowedOrigins.value ?? [] },
    ...voice.settings,
  };
  const providers: ConfigAgentOptions['providers'] = {};
  const openai = connection(openaiKey.value, openaiUrl.value);
  if (openai) providers.openai = openai;
  const anthropic = connection(anthropicKey.value, anthropicUrl.value);
  if (anthropic) providers.anthropic = anthropic;
  const openaiCompatible = connection(apiKey.value, baseUrl.value);
  if (openaiCompatible) providers.openaiCompatible = openaiCompatible;
  if (ollamaUrl.value !== undefined) providers.ollama = { baseURL: ollamaUrl.value };

  return {
    agent: {
      ...(model.value === undefined ? {} : { model: model.value }),
      fallbackModels: fallbackModels.value ?? [],
      models: models.value ?? [],
      providers,
      env,
    },
    home: home.value,
    stores: {
      sessionsDb: sessionsDb.value,
      eventsDb: eventsDb.value,
      jsonlDir: jsonlDir.value,
      attachmentsDir: attachmentsDir.value,
      ...(databaseUrl.value === undefined ? {} : { databaseUrl: databaseUrl.value }),
      ...(leaseMs.value === undefined ? {} : { leaseMs: leaseMs.value }),
      ...(idleReleaseMs.value === undefined ? {} : { idleReleaseMs: idleReleaseMs.value }),
    },
    tracing:
      langfusePublic.value !== undefined && langfuseSecret.value !== undefined
        ? {
            langfuse: {
              publicKey: langfusePublic.value,
              secretKey: langfuseSecret.value,
              ...(langfuseUrl.value === undefined ? {} : { baseUrl: langfuseUrl.value }),
            },
          }
        : {},
    server: {
      host: host.value ?? '127.0.0.1',
      port: port.value ?? DEFAULT_PORT,
      ...(token.value === undefined ? {} : { token: token.value }),
      allowedHosts: allowedHosts.value ?? [],
      allowedOrigins: allowedOrigins.value ?? [],
    },
    voice: voice.voice,
    settings,
    files: layers.map((layer) => layer.path),
    warnings: [...findWarnings(settings, project?.path), ...voiceKeyWarnings(voice.voice)],
  };
}

/** `a, b,c` → `['a', 'b', 'c']` (already checked by the key's rule). */
function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function connection(
  apiKey: string | undefined,
  baseURL: string | undefined,
): ProviderConnection | undefined {
  if (apiKey === undefined && baseURL === undefined) return undefined;
  return {
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(baseURL === undefined ? {} : { baseURL }),
  };
}

/**
 * The project's config file: the nearest `switchboard.config.json` from
 * `cwd` upwards, stopping at the first directory with a `.git` (the
 * repository root, searched too) or at the filesystem root. Stopping at the
 * repository keeps a checkout from picking up a file in whatever folder it
 * was cloned into.
 */
async function findProjectConfig(
  cwd: string,
  readFile: ReadTextFile,
): Promise<LoadedConfigFile | undefined> {
  for (let dir = cwd; ;) {
    const file = await readConfigFile(path.join(dir, CONFIG_FILE_NAME), readFile);
    if (file) return file;
    if (await exists(path.join(dir, '.git'), readFile)) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Whether a path exists, asked through the injected `readFile` so tests need
 * inject nothing more: `.git` is a directory (EISDIR) in a clone and a file
 * in a worktree; only "not there" errors mean it is absent.
 */
async function exists(filePath: string, readFile: ReadTextFile): Promise<boolean> {
  try {
    await readFile(filePath);
    return true;
  } catch (error) {
    return !isMissing(error);
  }
}

function invalid(issues: ConfigIssue[]): AgentCoreError {
  const lines = issues.map((issue) => `${issue.source}: ${issue.problem}`);
  return new AgentCoreError({
    code: 'CORE_CONFIG_INVALID',
    message:
      lines.length === 1
        ? `${lines[0]}.`
        : `${lines.length} problems in the configuration:\n${lines.map((line) => `- ${line}`).join('\n')}`,
    hint: 'Fix the values named above; the @switchboard/agent-core README lists every key.',
    details: { issues },
  });
}
