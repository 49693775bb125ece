import { z } from 'zod';

/**
 * One scripted model answer. A JSON-friendly shape, so scripts can live in
 * files. Strict at every level: a misspelt key (`txt`) is an error naming it,
 * not a turn that silently answers with nothing.
 */
export const scriptedTurnSchema = z.strictObject({
  /** Answer text, whole or as chunks (each chunk is one streamed delta). */
  text: z.union([z.string(), z.array(z.string())]).optional(),
  /** Reasoning (OpenAI-compatible `reasoning_content`), whole or as chunks. */
  reasoning: z.union([z.string(), z.array(z.string())]).optional(),
  /** Tool calls; `args` may be a raw string (e.g. malformed JSON on purpose). Streamed in 3 fragments. */
  toolCalls: z
    .array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        args: z.union([z.string(), z.record(z.string(), z.unknown())]),
      }),
    )
    .optional(),
  /** Finish reason on the wire; derived from the content when omitted. */
  finishReason: z.string().optional(),
  /** Token usage, sent only when the request asks for it (`stream_options.include_usage`). */
  usage: z
    .strictObject({
      inputTokens: z.number().int().nonnegative(),
      outputTokens: z.number().int().nonnegative(),
      cachedInputTokens: z.number().int().nonnegative().optional(),
      reasoningTokens: z.number().int().nonnegative().optional(),
    })
    .optional(),
  /** Delay between streamed chunks, ms. */
  delayMs: z.number().int().nonnegative().optional(),
  /** Send this many chunks, then keep the connection open and silent. */
  stallAfterChunks: z.number().int().nonnegative().optional(),
  /** Send this many chunks, then destroy the connection. */
  dropAfterChunks: z.number().int().nonnegative().optional(),
  /** Answer with an HTTP error instead of a completion. */
  error: z
    .strictObject({
      status: z.number().int().min(400).max(599),
      retryAfterSeconds: z.number().nonnegative().optional(),
      retryAfterMs: z.number().int().nonnegative().optional(),
      body: z.unknown().optional(),
    })
    .optional(),
});

export type ScriptedTurn = z.input<typeof scriptedTurnSchema>;

/** A request as the server recorded it. */
export interface RecordedRequest {
  callIndex: number;
  method: string;
  path: string;
  /** Header values, with credentials replaced by `***`. */
  headers: Record<string, string>;
  body: unknown;
  receivedAt: number;
}

/** A list of turns (one per call) or a function of the request. */
export type ModelScript =
  readonly ScriptedTurn[] | ((request: RecordedRequest, callIndex: number) => ScriptedTurn);
