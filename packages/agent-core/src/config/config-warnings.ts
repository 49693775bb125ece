import { CONFIG_KEYS } from './config-keys.js';
import { formatSource } from './describe-config.js';
import type { SwitchboardConfig } from './switchboard-config.js';

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/;

/**
 * Settings that load but are probably not what was meant. They do not stop
 * the CLI (a half-configured Langfuse must not break `switchboard run`); the
 * `doctor` command prints them.
 */
export function findWarnings(
  settings: SwitchboardConfig['settings'],
  projectFile: string | undefined,
): string[] {
  const warnings: string[] = [];
  for (const spec of CONFIG_KEYS) {
    const { source } = settings[spec.key];
    if ('secret' in spec && spec.secret && source.kind === 'file' && source.path === projectFile) {
      warnings.push(
        `${projectFile}: "${spec.key}" is a secret in a project file, which is often committed; move it to ${spec.env[0] ?? 'an environment variable'} or the home config file.`,
      );
    }
  }
  const publicKey = settings['tracing.langfuse.publicKey'];
  const secretKey = settings['tracing.langfuse.secretKey'];
  if ((publicKey.value === undefined) !== (secretKey.value === undefined)) {
    const [set, missing, variable] =
      publicKey.value === undefined
        ? [secretKey, 'tracing.langfuse.publicKey', 'LANGFUSE_PUBLIC_KEY']
        : [publicKey, 'tracing.langfuse.secretKey', 'LANGFUSE_SECRET_KEY'];
    warnings.push(
      `Langfuse tracing is off: only one key is set (${formatSource(set.source)}); set ${variable} or "${missing}" too.`,
    );
  }
  const host = settings['server.host'].value;
  if (
    typeof host === 'string' &&
    !LOOPBACK.test(host) &&
    settings['server.token'].value === undefined
  ) {
    warnings.push(
      `server.host "${host}" accepts connections from other machines and no server.token is set; set SWITCHBOARD_TOKEN.`,
    );
  }
  return warnings;
}
