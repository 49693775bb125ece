import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SwitchboardConfig } from '@switchboard/agent-core/config';
import { maskSecret } from '@switchboard/events';

/** The outcome of one check: `ok`, a `problem` (with its fix) or `info` (nothing needed). */
export interface CheckResult {
  name: string;
  status: 'ok' | 'problem' | 'info';
  detail: string;
  /** What to do about a problem. */
  fix?: string;
}

const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
const problem = (name: string, detail: string, fix: string): CheckResult => ({
  name,
  status: 'problem',
  detail,
  fix,
});

/** The key setting each provider needs, and its variable. */
const PROVIDER_KEYS = {
  openai: { key: 'providers.openai.apiKey', env: 'OPENAI_API_KEY', required: true },
  anthropic: { key: 'providers.anthropic.apiKey', env: 'ANTHROPIC_API_KEY', required: true },
  'openai-compatible': { key: 'apiKey', env: 'SWITCHBOARD_API_KEY', required: false },
} as const;

/** A model is configured, and the key its provider needs is there (shown masked, never in clear). */
export function checkModelKey(config: SwitchboardConfig): CheckResult {
  const model = config.agent.model;
  if (model === undefined) {
    return problem(
      'model',
      'no model is configured',
      'Set SWITCHBOARD_MODEL (e.g. openai:gpt-4o-mini) or "model" in switchboard.config.json, or pass --model.',
    );
  }
  const provider = model.slice(0, model.indexOf(':')) as keyof typeof PROVIDER_KEYS | 'ollama';
  if (provider === 'ollama') return ok('key', `${model}: no key needed`);
  const spec = PROVIDER_KEYS[provider];
  const setting = config.settings[spec.key];
  if (typeof setting.value !== 'string') {
    if (!spec.required)
      return ok('key', `${model}: no key set (${spec.env}); the server may not need one`);
    return problem(
      'key',
      `${model} needs an API key and none is set`,
      `Set ${spec.env}, or "${spec.key}" in <SWITCHBOARD_HOME>/switchboard.config.json.`,
    );
  }
  const from =
    setting.source.kind === 'file'
      ? setting.source.path
      : 'name' in setting.source
        ? setting.source.name
        : setting.source.kind;
  return ok(
    'key',
    `${model}: ${spec.env === from ? from : `${spec.key} from ${from}`} ${maskSecret(setting.value)}`,
  );
}

/** The model answers a one-token request. */
export async function checkModelReachable(
  config: SwitchboardConfig,
  timeoutMs: number,
): Promise<CheckResult | undefined> {
  const model = config.agent.model;
  if (model === undefined) return undefined;
  const { classifyProviderError, resolveModel } = await import('@switchboard/agent-core');
  const started = Date.now();
  try {
    const language = resolveModel(model, { ...config.agent.providers, env: config.agent.env });
    await language.doGenerate({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Reply with OK.' }] }],
      maxOutputTokens: 5,
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    return ok('model reachable', `${model} answered in ${Date.now() - started} ms`);
  } catch (error) {
    const classified = classifyProviderError(error, secretsOf(config));
    const hint = classified.hint;
    const message =
      hint && classified.message.endsWith(hint)
        ? classified.message.slice(0, -hint.length).trimEnd()
        : classified.message;
    return problem(
      'model reachable',
      `${model}: ${classified.code}: ${message}`,
      hint ?? 'Check the model name, the base URL and the key.',
    );
  }
}

function secretsOf(config: SwitchboardConfig): string[] {
  return Object.values(config.settings)
    .map((setting) => setting.value)
    .filter((value): value is string => typeof value === 'string' && value.length >= 8);
}

/** SWITCHBOARD_HOME exists (or can be made) and takes a file. */
export function checkDataDir(config: SwitchboardConfig): CheckResult {
  const probe = path.join(config.home, `.doctor-${randomUUID()}`);
  try {
    mkdirSync(config.home, { recursive: true });
    writeFileSync(probe, 'ok');
    rmSync(probe);
    return ok('data directory', `${config.home} is writable`);
  } catch (error) {
    return problem(
      'data directory',
      `${config.home} is not writable: ${(error as Error).message}`,
      `Make ${config.home} writable, or point SWITCHBOARD_HOME (or --home) at a directory you can write.`,
    );
  }
}

/** The session store and the event log open (better-sqlite3 loads) and answer. */
export async function checkSqlite(config: SwitchboardConfig): Promise<CheckResult> {
  const { sessionsDb, eventsDb } = config.stores;
  try {
    const { SqliteSessionStore } = await import('@switchboard/agent-core');
    const { SqliteEventLog } = await import('@switchboard/events/node');
    for (const file of [sessionsDb, eventsDb]) mkdirSync(path.dirname(file), { recursive: true });
    const store = new SqliteSessionStore({ path: sessionsDb });
    const log = new SqliteEventLog({ path: eventsDb });
    try {
      const sessions = (await store.list()).sessions.length;
      const logged = log.sessions().length;
      return ok(
        'SQLite',
        `${sessionsDb} (${sessions} sessions), ${eventsDb} (${logged} with events)`,
      );
    } finally {
      log.close();
      await store.close();
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return problem(
      'SQLite',
      `${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}`,
      code === 'EVENTS_SQLITE_UNAVAILABLE'
        ? 'Reinstall so better-sqlite3 builds for this Node version (npm rebuild better-sqlite3).'
        : `Check that ${sessionsDb} and ${eventsDb} are Switchboard databases you can write, or move them away.`,
    );
  }
}

/**
 * Langfuse, when both keys are set: an empty OTLP export to its ingestion
 * endpoint checks the URL and the keys at once (401 means the keys are wrong).
 */
export async function checkLangfuse(
  config: SwitchboardConfig,
  timeoutMs: number,
): Promise<CheckResult> {
  const langfuse = config.tracing.langfuse;
  if (!langfuse) {
    return {
      name: 'Langfuse',
      status: 'info',
      detail: 'tracing is off (set LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY to turn it on)',
    };
  }
  const baseUrl = (langfuse.baseUrl ?? 'https://cloud.langfuse.com').replace(/\/+$/, '');
  const fix = 'Check LANGFUSE_BASE_URL (or LANGFUSE_HOST) and that Langfuse is running.';
  try {
    const response = await fetch(`${baseUrl}/api/public/otel/v1/traces`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${langfuse.publicKey}:${langfuse.secretKey}`).toString('base64')}`,
      },
      body: JSON.stringify({ resourceSpans: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.ok)
      return ok('Langfuse', `${baseUrl} accepts the keys (${maskSecret(langfuse.secretKey)})`);
    if (response.status === 401 || response.status === 403) {
      return problem(
        'Langfuse',
        `${baseUrl} rejected the keys (HTTP ${response.status})`,
        'Check LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY: both from the same Langfuse project.',
      );
    }
    return problem('Langfuse', `${baseUrl} answered HTTP ${response.status}`, fix);
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const why =
      typeof cause?.code === 'string'
        ? cause.code
        : typeof cause?.message === 'string' && cause.message
          ? cause.message
          : (error as Error).message;
    return problem('Langfuse', `${baseUrl} is unreachable: ${why}`, fix);
  }
}
