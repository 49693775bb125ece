import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { SwitchboardConfig } from '@switchboard/agent-core/config';
// Types only (erased): the package itself is imported when the check runs.
import type * as VoiceSession from '@switchboard/voice-session';
import { CliError } from '../../errors/cli-error.js';
import { importOptional } from '../../runtime/import-optional.js';
import { check, type CheckResult } from './check-result.js';

// Checks of what only some setups use, each run when it is relevant:
// - PostgreSQL when SWITCHBOARD_DATABASE_URL (stores.databaseUrl) is set;
// - the voice engines when the optional @switchboard/voice-session is
//   installed (otherwise one information line: voice is not installed);
// - Chromium is never needed by the CLI or the server (only the web app's
//   browser tests drive it): a broken CHROMIUM_PATH someone set on purpose is
//   a problem, anything else is information.

/** `postgres://user:…@host:port/db` → `postgres://user@host:port/db`: never a password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the configured URL (unparsable)';
  }
}

/** Removes the URL's password (and the URL itself) from a driver message, whatever it says. */
function withoutSecrets(text: string, url: string): string {
  let out = text.split(url).join(describeDatabaseUrl(url));
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) out = out.split(password).join('***');
  } catch {
    // Not a URL: nothing more to hide than the whole string, done above.
  }
  return out;
}

/**
 * PostgreSQL, when configured: reachable, and the schema current or with
 * migrations pending (the server applies them when it starts; doctor only
 * reads, it never migrates). Credentials are never printed.
 */
export async function checkPostgres(
  config: SwitchboardConfig,
  timeoutMs: number,
): Promise<CheckResult | undefined> {
  const url = config.stores.databaseUrl;
  if (url === undefined) return undefined;
  const where = describeDatabaseUrl(url);
  try {
    const { readSchemaStatus } = await import('@switchboard/postgres');
    const status = await readSchemaStatus({
      connectionString: url,
      connectTimeoutMs: Math.min(timeoutMs, 10_000),
    });
    if (status.version > status.latest)
      return check.problem(
        'PostgreSQL',
        `${where}: schema v${status.version} is newer than this build's v${status.latest}`,
        'Upgrade Switchboard (npm install @switchboard/cli@latest) to the version that migrated it.',
      );
    if (status.pending > 0)
      return check.ok(
        'PostgreSQL',
        `${where} reachable; schema v${status.version}, ${status.pending} migration(s) pending (applied when the server or a run starts)`,
      );
    return check.ok('PostgreSQL', `${where} reachable; schema v${status.version} (current)`);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = withoutSecrets((error as Error).message ?? String(error), url);
    return check.problem(
      'PostgreSQL',
      `${where}: ${typeof code === 'string' ? `${code}: ` : ''}${message}`,
      code === 'PG_CONNECTION_LOST'
        ? 'Start PostgreSQL or fix the host and port in SWITCHBOARD_DATABASE_URL (or unset it to use SQLite).'
        : 'Check the user, password and database name in SWITCHBOARD_DATABASE_URL, and that the user may connect.',
    );
  }
}

/** Runs `file args` and resolves with its first output line; rejects when it cannot start or fails. */
async function firstLine(file: string, args: string[], timeoutMs: number): Promise<string> {
  const { stdout } = await promisify(execFile)(file, args, { timeout: timeoutMs });
  return stdout.trim().split('\n')[0] ?? '';
}

function why(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' ? 'not found on PATH' : (error as Error).message;
}

/**
 * The voice engines `switchboard voice` uses, when `@switchboard/voice-session`
 * is installed: espeak-ng runs, libpocketsphinx loads, the Silero model file
 * is there. Not installed is information: voice is optional.
 */
export async function checkVoice(timeoutMs: number): Promise<CheckResult[]> {
  let voice: typeof VoiceSession;
  try {
    voice = await importOptional(
      '@switchboard/voice-session',
      () => import('@switchboard/voice-session'),
      'voice',
    );
  } catch (error) {
    if (error instanceof CliError && error.code === 'CLI_MISSING_PACKAGE')
      return [
        check.info(
          'voice',
          'not installed (optional: npm install @switchboard/voice-session for switchboard voice)',
        ),
      ];
    return [
      check.problem(
        'voice',
        `@switchboard/voice-session does not load: ${(error as Error).message}`,
        'Reinstall it (npm install @switchboard/voice-session) for this Node version.',
      ),
    ];
  }
  const checks: CheckResult[] = [];
  try {
    const version = await firstLine('espeak-ng', ['--version'], timeoutMs);
    checks.push(check.ok('voice: espeak-ng', version));
  } catch (error) {
    checks.push(
      check.problem(
        'voice: espeak-ng',
        `espeak-ng does not run: ${why(error)}`,
        'apt-get install espeak-ng (or brew install espeak-ng).',
      ),
    );
  }
  checks.push(
    voice.pocketsphinxAvailable()
      ? check.ok('voice: pocketsphinx', 'libpocketsphinx.so.3 loads')
      : check.problem(
          'voice: pocketsphinx',
          'libpocketsphinx.so.3 cannot be loaded',
          'apt-get install libpocketsphinx3 pocketsphinx-en-us',
        ),
  );
  checks.push(
    existsSync(voice.SILERO_MODEL_PATH)
      ? check.ok('voice: Silero VAD', voice.SILERO_MODEL_PATH)
      : check.problem(
          'voice: Silero VAD',
          `the model file is missing: ${voice.SILERO_MODEL_PATH}`,
          'Reinstall @switchboard/voice-session (the model ships with it).',
        ),
  );
  return checks;
}

/**
 * Chromium: only the web app's end-to-end tests use it (playwright-core
 * drives Debian's /usr/bin/chromium, or CHROMIUM_PATH). Information unless
 * CHROMIUM_PATH is set and does not run: then someone asked for it.
 */
export async function checkChromium(
  env: Record<string, string | undefined>,
  timeoutMs: number,
): Promise<CheckResult> {
  const chosen = env.CHROMIUM_PATH;
  const binary = chosen ?? '/usr/bin/chromium';
  try {
    const version = await firstLine(binary, ['--version'], timeoutMs);
    return check.info(
      'Chromium',
      `${version} at ${binary} (only the web app's browser tests use it)`,
    );
  } catch (error) {
    if (chosen)
      return check.problem(
        'Chromium',
        `CHROMIUM_PATH=${chosen} does not run: ${why(error)}`,
        'Point CHROMIUM_PATH at a Chromium binary, or unset it (default /usr/bin/chromium).',
      );
    return check.info(
      'Chromium',
      `not found at ${binary} (only needed for the web app's browser tests: apt-get install chromium)`,
    );
  }
}
