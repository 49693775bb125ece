import type { z } from 'zod';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { closestKey } from './closest-key.js';
import { CONFIG_VALUE_RULES, configFileSchema, type ConfigFile } from './config-file-schema.js';
import { CONFIG_KEYS, type ConfigKey } from './config-keys.js';
import { findJsonSyntaxError } from './json-syntax-error.js';

/** Reads a UTF-8 text file; rejects with a Node error (`code: 'ENOENT'`…) like `fs.promises.readFile`. */
export type ReadTextFile = (filePath: string) => Promise<string>;

/** One thing wrong with the configuration: where it came from, which key, and what is wrong. */
export interface ConfigIssue {
  /** The file path, environment variable or flag (`--port`) the value came from. */
  source: string;
  /** The configuration key (`server.port`), or the unknown key as written. */
  key: string;
  /** What is wrong and what is expected, in words (never a secret's value). */
  problem: string;
}

/** A config file that was found, parsed and checked. */
export interface LoadedConfigFile {
  /** Absolute path of the file. */
  path: string;
  /** Its values, when it had no issues (an empty object otherwise). */
  data: ConfigFile;
  issues: ConfigIssue[];
}

const OBJECT_KEYS = [
  ...new Set(
    CONFIG_KEYS.flatMap(({ key }) =>
      key
        .split('.')
        .slice(0, -1)
        .map((_, index, parts) => parts.slice(0, index + 1).join('.')),
    ),
  ),
];
const KNOWN_KEYS = ['$schema', ...CONFIG_KEYS.map(({ key }) => key), ...OBJECT_KEYS];
const SECRET_KEYS = new Set<string>(
  CONFIG_KEYS.filter((spec) => 'secret' in spec && spec.secret).map(({ key }) => key),
);

/** Whether a read failed because nothing is there (as opposed to something unreadable). */
export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * Reads a config file: `undefined` when there is none; throws
 * `CORE_CONFIG_UNREADABLE` when it exists but cannot be read and
 * `CORE_CONFIG_SYNTAX` (with line and column) when it is not JSON. Wrong
 * values and unknown keys are returned as issues, so every problem of every
 * source is reported at once.
 */
export async function readConfigFile(
  filePath: string,
  readFile: ReadTextFile,
  { isHomeFile = false }: { isHomeFile?: boolean } = {},
): Promise<LoadedConfigFile | undefined> {
  let text: string;
  try {
    text = await readFile(filePath);
  } catch (error) {
    if (isMissing(error)) return undefined;
    const reason = errorCode(error);
    throw new AgentCoreError({
      code: 'CORE_CONFIG_UNREADABLE',
      message: `${filePath}: cannot be read${reason ? ` (${reason})` : ''}.`,
      hint: 'Make it a readable file, or remove it.',
      cause: error,
      details: { path: filePath },
    });
  }
  // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    const found = findJsonSyntaxError(json);
    const where = found
      ? `line ${found.line}, column ${found.column}: ${found.reason}`
      : String(error);
    throw new AgentCoreError({
      code: 'CORE_CONFIG_SYNTAX',
      message: `${filePath}: not valid JSON at ${where}.`,
      hint: 'Fix the JSON (no comments, no trailing commas, keys in double quotes).',
      details: { path: filePath, ...(found ? { line: found.line, column: found.column } : {}) },
    });
  }
  const result = configFileSchema.safeParse(raw);
  const issues = result.success
    ? []
    : result.error.issues.flatMap((issue) => toIssues(issue, raw, filePath));
  if (isHomeFile && typeof raw === 'object' && raw != null && Object.hasOwn(raw, 'home')) {
    issues.push({
      source: filePath,
      key: 'home',
      problem:
        '"home" cannot be set in the home config file (that file is found through it); set SWITCHBOARD_HOME or --home, or put "home" in the project\'s switchboard.config.json',
    });
  }
  return { path: filePath, data: result.success ? result.data : {}, issues };
}

function toIssues(issue: z.core.$ZodIssue, raw: unknown, source: string): ConfigIssue[] {
  const names = issue.path.filter((part): part is string => typeof part === 'string');
  const parent = names.join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((name) => {
      const key = parent ? `${parent}.${name}` : name;
      const suggestion = closestKey(key, KNOWN_KEYS);
      return {
        source,
        key,
        problem: `unknown key "${key}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
      };
    });
  }
  const key = parent;
  const shown = issue.path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index > 0 ? '.' : ''}${String(part)}`,
    )
    .join('');
  if (key === '')
    return [
      {
        source,
        key: '(root)',
        problem: 'must be a JSON object like {"model": "openai:gpt-4o-mini"}',
      },
    ];
  const expected = isConfigKey(key)
    ? issue.path.length > names.length
      ? // An element of a list: one phrase, else one model string.
        key === 'voice.phrases'
        ? 'must be a non-empty phrase without "|"'
        : CONFIG_VALUE_RULES.model.expected
      : CONFIG_VALUE_RULES[key].expected
    : `must be an object with the keys ${childrenOf(key)}`;
  const value = valueAt(raw, issue.path);
  // Only a non-secret value is repeated; anything else may be a key typed in the wrong place.
  const got = SECRET_KEYS.has(key)
    ? ''
    : isConfigKey(key)
      ? ` (got ${preview(value)})`
      : ` (got ${typeOf(value)})`;
  return [{ source, key, problem: `"${shown}" ${expected}${got}` }];
}

function isConfigKey(key: string): key is ConfigKey {
  return Object.hasOwn(CONFIG_VALUE_RULES, key);
}

function childrenOf(key: string): string {
  const children = KNOWN_KEYS.filter(
    (known) => known.startsWith(`${key}.`) && !known.slice(key.length + 1).includes('.'),
  );
  return children.map((child) => `"${child.slice(key.length + 1)}"`).join(', ');
}

function valueAt(raw: unknown, at: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const part of at) {
    if (typeof value !== 'object' || value == null) return undefined;
    value = Reflect.get(value, part);
  }
  return value;
}

function typeOf(value: unknown): string {
  if (value == null) return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
