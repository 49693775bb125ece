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
  z.object({ turns: z.array(scriptedTurnSchema).min(1), loop: z.boolean().default(false) }),
]);

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
  const parsed = scriptFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Invalid script ${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return Array.isArray(parsed.data) ? { turns: parsed.data, loop: false } : parsed.data;
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
