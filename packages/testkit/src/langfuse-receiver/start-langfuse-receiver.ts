import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { listenOnLoopback } from '../loopback/listen-on-loopback.js';
import { decodeOtlpTraces, type ReceivedSpan } from './decode-otlp.js';

/** The Langfuse OTLP ingestion path. */
export const LANGFUSE_OTEL_TRACES_PATH = '/api/public/otel/v1/traces';

/** One export request as the receiver saw it. */
export interface ReceivedExport {
  index: number;
  /** Header values (the authorization value replaced by `***`). */
  headers: Record<string, string>;
  contentType: string;
  bytes: number;
  /** The status the receiver answered with. */
  status: number;
  /** Decoded spans (empty when the request was refused). */
  spans: ReceivedSpan[];
  receivedAt: number;
}

/** What to answer a request with: a status and an optional delay (for slow-endpoint tests). */
export interface ReceiverResponse {
  status: number;
  delayMs?: number;
}

/** A running receiver. */
export interface LangfuseReceiver {
  /** Base URL for Langfuse clients (`LANGFUSE_BASE_URL`): `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  readonly requests: ReceivedExport[];
  /** Every span accepted so far, in arrival order. */
  spans(): ReceivedSpan[];
  /** Decides the answer of each following request (default: 200 for valid credentials). */
  setResponder(responder: ((request: ReceivedExport) => ReceiverResponse) | undefined): void;
  /** Resolves once `predicate(spans)` holds; rejects after `timeoutMs`. */
  waitForSpans(
    predicate: (spans: ReceivedSpan[]) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * A loopback stand-in for Langfuse's OTLP endpoint
 * (`POST /api/public/otel/v1/traces`): it checks `Authorization: Basic
 * base64(publicKey:secretKey)` (401 otherwise), accepts OTLP/HTTP JSON and
 * protobuf (gzip too), rejects other content types with 400 as the real
 * server does, and decodes every span for assertions. The real exporter
 * talks to it over HTTP; nothing is mocked above the socket.
 */
export async function startLangfuseReceiver(
  options: { publicKey?: string; secretKey?: string; port?: number } = {},
): Promise<LangfuseReceiver> {
  const publicKey = options.publicKey ?? 'pk-lf-test';
  const secretKey = options.secretKey ?? 'sk-lf-test';
  const expectedAuth = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;
  const requests: ReceivedExport[] = [];
  const accepted: ReceivedSpan[] = [];
  const waiters = new Set<() => void>();
  let responder: ((request: ReceivedExport) => ReceiverResponse) | undefined;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: (error as Error).message }));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || path !== LANGFUSE_OTEL_TRACES_PATH) {
      return reply(res, 404, { message: `No route ${req.method} ${path}` });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return reply(res, 413, { message: 'Body too large' });
      chunks.push(chunk as Buffer);
    }
    let body = Buffer.concat(chunks);
    const contentType = String(req.headers['content-type'] ?? '');
    const record: ReceivedExport = {
      index: requests.length,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          name === 'authorization' ? '***' : [value ?? ''].flat().join(', '),
        ]),
      ),
      contentType,
      bytes: body.length,
      status: 200,
      spans: [],
      receivedAt: Date.now(),
    };
    requests.push(record);
    if (req.headers.authorization !== expectedAuth) {
      record.status = 401;
      return reply(res, 401, { message: 'Invalid credentials' });
    }
    if (!contentType.includes('json') && !contentType.includes('protobuf')) {
      record.status = 400;
      return reply(res, 400, { message: `Unsupported content type ${contentType}` });
    }
    const answer = responder?.(record) ?? { status: 200 };
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    record.status = answer.status;
    if (answer.status >= 300) return reply(res, answer.status, { message: 'Scripted failure' });
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    record.spans = decodeOtlpTraces(body, contentType);
    accepted.push(...record.spans);
    for (const wake of waiters) wake();
    if (contentType.includes('json')) return reply(res, 200, {});
    res.writeHead(200, { 'content-type': 'application/x-protobuf' });
    res.end();
  }

  const { port, close } = await listenOnLoopback(server, options.port);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    spans: () => [...accepted],
    setResponder(next) {
      responder = next;
    },
    waitForSpans(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(accepted)) return;
          cleanup();
          resolve([...accepted]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`waitForSpans timed out with ${accepted.length} span(s)`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function reply(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
