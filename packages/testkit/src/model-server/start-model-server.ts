import http from 'node:http';
import { listenOnLoopback } from '../loopback/listen-on-loopback.js';
import { anthropicEvents, anthropicMessage } from './anthropic-events.js';
import { openAiChunks } from './openai-chunks.js';
import { argsText, turnFinishReason, turnUsage } from './turn-parts.js';
import {
  scriptedTurnSchema,
  type ModelScript,
  type RecordedRequest,
  type ScriptedTurn,
} from './scripted-turn.js';

/** The running server. */
export interface ModelServer {
  /** Base URL for OpenAI-compatible clients: `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  readonly callCount: number;
  /** Replaces the script (the call counter keeps counting). */
  setScript(script: ModelScript): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A loopback HTTP server that speaks the OpenAI chat-completions protocol
 * (`POST /v1/chat/completions`) and the Anthropic Messages API
 * (`POST /v1/messages`), streaming SSE and JSON, and answers with
 * scripted turns, recording every request. Real providers, CLIs and servers
 * can be pointed at it: nothing is mocked below the socket.
 */
export async function startModelServer(options: {
  script: ModelScript;
  port?: number;
  apiKey?: string;
}): Promise<ModelServer> {
  let script = options.script;
  let calls = 0;
  const requests: RecordedRequest[] = [];

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: (error as Error).message, type: 'server_error' } }),
      );
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const anthropic = path === '/v1/messages';
    const presented = anthropic
      ? req.headers['x-api-key']
      : req.headers.authorization?.replace(/^Bearer /, '');
    if (options.apiKey && presented !== options.apiKey) {
      return json(res, 401, {
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      });
    }
    if (req.method === 'GET' && path === '/v1/models')
      return json(res, 200, { object: 'list', data: [{ id: 'test-model', object: 'model' }] });
    if (req.method !== 'POST' || (path !== '/v1/chat/completions' && !anthropic)) {
      return json(res, 404, {
        error: { message: `No route ${req.method} ${path}`, type: 'invalid_request_error' },
      });
    }
    let size = 0;
    const parts: Buffer[] = [];
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES)
        return json(res, 413, {
          error: { message: 'Request body too large', type: 'invalid_request_error' },
        });
      parts.push(chunk as Buffer);
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>;
    } catch {
      return json(res, 400, {
        error: { message: 'Body is not valid JSON', type: 'invalid_request_error' },
      });
    }
    const callIndex = calls++;
    const recorded: RecordedRequest = {
      callIndex,
      method: req.method,
      path,
      headers: redactHeaders(req.headers),
      body,
      receivedAt: Date.now(),
    };
    requests.push(recorded);
    const raw = typeof script === 'function' ? script(recorded, callIndex) : script[callIndex];
    if (raw === undefined) {
      return json(res, 500, {
        error: {
          message: `Script exhausted: no turn for call #${callIndex}`,
          type: 'server_error',
        },
      });
    }
    const turn = scriptedTurnSchema.parse(raw);
    if (turn.error) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (turn.error.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(turn.error.retryAfterSeconds);
      if (turn.error.retryAfterMs !== undefined)
        headers['retry-after-ms'] = String(turn.error.retryAfterMs);
      res.writeHead(turn.error.status, headers);
      res.end(
        JSON.stringify(
          turn.error.body ??
            (anthropic
              ? {
                  type: 'error',
                  error: {
                    type: anthropicErrorType(turn.error.status),
                    message: `Scripted error ${turn.error.status}`,
                  },
                }
              : {
                  error: { message: `Scripted error ${turn.error.status}`, type: 'server_error' },
                }),
        ),
      );
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'test-model';
    if (anthropic) {
      const id = `msg_${callIndex}`;
      if (body.stream !== true) return json(res, 200, anthropicMessage(turn, { model, id }));
      const frames = anthropicEvents(turn, { model, id }).map(
        ([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
      );
      return streamFrames(res, turn, frames);
    }
    const id = `chatcmpl-${callIndex}`;
    if (body.stream !== true) return json(res, 200, completion(turn, model, id));
    const includeUsage =
      (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const frames = openAiChunks(turn, { model, id, includeUsage }).map(
      (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
    );
    frames.push('data: [DONE]\n\n');
    return streamFrames(res, turn, frames);
  }

  /** Writes SSE frames with the turn's pacing and failure modes (stall, drop). */
  async function streamFrames(
    res: http.ServerResponse,
    turn: ScriptedTurn,
    frames: readonly string[],
  ): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    let sent = 0;
    for (const frame of frames) {
      if (res.destroyed) return;
      if (turn.stallAfterChunks !== undefined && sent >= turn.stallAfterChunks) return; // keep the socket open, silent
      if (turn.dropAfterChunks !== undefined && sent >= turn.dropAfterChunks) {
        res.socket?.destroy();
        return;
      }
      // Wait until the frame reached the socket: a scripted drop then cuts
      // exactly after `dropAfterChunks` frames, never inside a buffered one.
      await new Promise<void>((resolve) => res.write(frame, () => resolve()));
      sent += 1;
      if (turn.delayMs) await sleep(turn.delayMs);
    }
    res.end();
  }

  const { port, close } = await listenOnLoopback(server, options.port);
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get callCount() {
      return calls;
    },
    setScript(next) {
      script = next;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The `error.type` the Anthropic API uses for a status. */
function anthropicErrorType(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status === 401) return 'authentication_error';
  if (status === 404) return 'not_found_error';
  if (status === 529) return 'overloaded_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function completion(turn: ScriptedTurn, model: string, id: string) {
  const join = (value: string | string[] | undefined) =>
    value === undefined ? undefined : [value].flat().join('');
  const toolCalls = (turn.toolCalls ?? []).map((call) => ({
    id: call.id,
    type: 'function',
    function: {
      name: call.name,
      arguments: argsText(call.args),
    },
  }));
  const usage = turnUsage(turn);
  return {
    id,
    object: 'chat.completion',
    created: 1_763_800_000,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: join(turn.text) ?? null,
          ...(turn.reasoning ? { reasoning_content: join(turn.reasoning) } : {}),
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: turnFinishReason(turn),
      },
    ],
    usage: {
      prompt_tokens: usage.inputTokens,
      completion_tokens: usage.outputTokens,
      total_tokens: usage.inputTokens + usage.outputTokens,
    },
  };
}

function redactHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] =
      name === 'authorization' || name === 'x-api-key' ? '***' : [value].flat().join(', ');
  }
  return out;
}
