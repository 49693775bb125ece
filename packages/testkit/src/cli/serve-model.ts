import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { scriptedTurnSchema, type ScriptedTurn } from '../model-server/scripted-turn.js';
import { startModelServer, type ModelServer } from '../model-server/start-model-server.js';

/**
 * A script file: a JSON array of turns, or `{ turns, loop }` where `loop`
 * replays the turns from the start once they run out (for servers that
 * outlive one conversation, like a dev web UI).
 */
export const scriptFileSchema = z.union([
  z.array(scriptedTurnSchema),
  z.strictObject({
    turns: z.array(scriptedTurnSchema).min(1),
    loop: z.boolean().default(false),
  }),
]);

const [turnListSchema, turnFileSchema] = scriptFileSchema.options;

/** `[0, 'usage', 'inputTokens']` → `[0].usage.inputTokens`; the root is `the script`. */
function where(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the script';
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** What a problem says, in words (a union lists the types it accepts instead of "Invalid input"). */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  if (issue.code === 'invalid_union') {
    const expected = issue.errors.flatMap((branch) =>
      branch.flatMap((inner) =>
        inner.code === 'invalid_type' && inner.path.length === 0 ? [inner.expected] : [],
      ),
    );
    if (expected.length > 0) return `expected ${[...new Set(expected)].join(' or ')}`;
  }
  return issue.message;
}

/** One line per problem: where it is and what is wrong. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `  ${where(issue.path)}: ${describeIssue(issue)}`).join('\n');
}

/** Reads and validates a script file; a bad file names its first problem. */
export async function readScriptFile(
  file: string,
): Promise<{ turns: ScriptedTurn[]; loop: boolean }> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read script ${file}: ${(error as Error).message}`, { cause: error });
  }
  // Parsed against the one shape the file has, so problems name the turn and
  // key rather than "matches neither a list nor an object".
  if (Array.isArray(value)) {
    const parsed = turnListSchema.safeParse(value);
    if (parsed.success) return { turns: parsed.data, loop: false };
    throw invalidScript(file, parsed.error.issues);
  }
  const parsed = turnFileSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  if (typeof value !== 'object' || value == null) {
    throw new Error(
      `Invalid script ${file}: expected a JSON array of turns or {"turns": [...], "loop": true}.`,
    );
  }
  throw invalidScript(file, parsed.error.issues);
}

function invalidScript(file: string, issues: readonly z.core.$ZodIssue[]): Error {
  const unknownKeys = issues.some((issue) => issue.code === 'unrecognized_keys');
  return new Error(
    `Invalid script ${file}:\n${describeIssues(issues)}` +
      (unknownKeys ? `\nA turn takes ${Object.keys(scriptedTurnSchema.shape).join(', ')}.` : ''),
  );
}

/** Starts the model server for a script file (what `switchboard-testkit serve-model` runs). */
export async function serveModel(options: {
  script: string;
  port?: number;
  apiKey?: string;
}): Promise<ModelServer> {
  const { turns, loop } = await readScriptFile(options.script);
  return startModelServer({
    script: loop ? (_request, callIndex) => turns[callIndex % turns.length]! : turns,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
  });
}
