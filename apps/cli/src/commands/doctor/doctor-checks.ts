import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SwitchboardConfig } from '@switchboard/agent-core/config';
import { maskSecret } from '@switchboard/events';
import { check, type CheckResult } from './check-result.js';

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
    return check.problem(
      'model',
      'no model is configured',
      'Set SWITCHBOARD_MODEL (e.g. openai:gpt-4o-mini) or "model" in switchboard.config.json, or pass --model.',
    );
  }
  const provider = model.slice(0, model.indexOf(':')) as keyof typeof PROVIDER_KEYS | 'ollama';
  if (provider === 'ollama') return check.ok('key', `${model}: no key needed`);
  const spec = PROVIDER_KEYS[provider];
  const setting = config.settings[spec.key];
  if (typeof setting.value !== 'string') {
    if (!spec.required)
      return check.ok('key', `${model}: no key set (${spec.env}); the server may not need one`);
    return check.problem(
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
  return check.ok(
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
    return check.ok('model reachable', `${model} answered in ${Date.now() - started} ms`);
  } catch (error) {
    const classified = classifyProviderError(error, secretsOf(config));
    const hint = classified.hint;
    const message =
      hint && classified.message.endsWith(hint)
        ? classified.message.slice(0, -hint.length).trimEnd()
        : classified.message;
    return check.problem(
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
    return check.ok('data directory', `${config.home} is writable`);
  } catch (error) {
    return check.problem(
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
      return check.ok(
        'SQLite',
        `${sessionsDb} (${sessions} sessions), ${eventsDb} (${logged} with events)`,
      );
    } finally {
      log.close();
      await store.close();
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return check.problem(
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
    return check.info(
      'Langfuse',
      'tracing is off (set LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY to turn it on)',
    );
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
      return check.ok(
        'Langfuse',
        `${baseUrl} accepts the keys (${maskSecret(langfuse.secretKey)})`,
      );
    if (response.status === 401 || response.status === 403) {
      return check.problem(
        'Langfuse',
        `${baseUrl} rejected the keys (HTTP ${response.status})`,
        'Check LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY: both from the same Langfuse project.',
      );
    }
    return check.problem('Langfuse', `${baseUrl} answered HTTP ${response.status}`, fix);
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const why =
      typeof cause?.code === 'string'
        ? cause.code
        : typeof cause?.message === 'string' && cause.message
          ? cause.message
          : (error as Error).message;
    return check.problem('Langfuse', `${baseUrl} is unreachable: ${why}`, fix);
  }
}
