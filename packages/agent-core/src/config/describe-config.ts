import { CONFIG_KEYS, type ConfigKey } from './config-keys.js';
import { maskSecret } from '@switchboard/events';
import type { ConfigSource, SwitchboardConfig } from './switchboard-config.js';

/** One line of the `doctor` report: safe to print, secrets redacted. */
export interface ConfigReportRow {
  key: ConfigKey;
  /** The value as text (`sk-…abcd` for secrets, lists comma-separated); `undefined` when unset. */
  value: string | undefined;
  /** `flag --port`, `env SWITCHBOARD_PORT`, `file /path/switchboard.config.json`, `default` or `unset`. */
  source: string;
}

/** A source in words: `flag --port`, `env SWITCHBOARD_PORT`, `file <path>`, `default`, `unset`. */
export function formatSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'flag':
    case 'env':
      return `${source.kind} ${source.name}`;
    case 'file':
      return `file ${source.path}`;
    case 'default':
    case 'unset':
      return source.kind;
  }
}

/**
 * Every key with its value and where it came from, for `switchboard doctor`.
 * Secrets (API keys, the Langfuse secret key, the server token) are redacted,
 * so the rows can be printed or pasted into a bug report.
 */
export function describeConfig(config: SwitchboardConfig): ConfigReportRow[] {
  return CONFIG_KEYS.map((spec) => {
    const { value, source } = config.settings[spec.key];
    let shown: string | undefined;
    if (value === undefined) shown = undefined;
    else if ('secret' in spec && spec.secret) shown = maskSecret(String(value));
    else shown = typeof value === 'object' ? value.join(', ') : String(value);
    return { key: spec.key, value: shown, source: formatSource(source) };
  });
}
