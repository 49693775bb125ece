import http from 'node:http';
import { listenOnLoopback } from '../loopback/listen-on-loopback.js';
import { decodeWav, encodeWav, rawPcm, resampleLinear, synthesize } from './speech-audio.js';
import {
  scriptedSpeechSchema,
  scriptedTranscriptSchema,
  type ScriptedSpeech,
  type ScriptedTranscript,
  type SpeechRequest,
  type SpeechScript,
  type SpeechVendor,
} from './speech-script.js';
import { presentedKey, requestedFormat, transcriptionBody, vendorError } from './vendor-wire.js';

/** The running stand-in. */
export interface SpeechServer {
  /** `http://127.0.0.1:<port>`: the origin replacing every vendor's (OpenAI's base URL is `${origin}/v1`). */
  readonly origin: string;
  /** Every request received, in order. */
  readonly requests: SpeechRequest[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@link startSpeechServer}. */
export interface SpeechServerOptions {
  /** Transcripts answered to transcription calls, in order (any vendor). */
  transcripts?: SpeechScript<ScriptedTranscript>;
  /** Answers to speech calls, in order; by default every call is spoken. */
  speech?: SpeechScript<ScriptedSpeech>;
  /** `espeak` (default) speaks the text with espeak-ng; `tone` makes a tone. */
  voice?: 'espeak' | 'tone';
  /** When set, requests must present it (each vendor's way); others get 401. */
  apiKey?: string;
  port?: number;
}

const MAX_BODY_BYTES = 25 * 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Route {
  vendor: SpeechVendor;
  kind: 'transcription' | 'speech';
}

/** Which vendor endpoint a path is (the paths of the three APIs do not overlap). */
function route(method: string, path: string): Route | undefined {
  if (method !== 'POST') return undefined;
  if (path === '/v1/audio/transcriptions') return { vendor: 'openai', kind: 'transcription' };
  if (path === '/v1/audio/speech') return { vendor: 'openai', kind: 'speech' };
  if (path === '/v1/listen') return { vendor: 'deepgram', kind: 'transcription' };
  if (path === '/v1/speak') return { vendor: 'deepgram', kind: 'speech' };
  if (path === '/v1/speech-to-text') return { vendor: 'elevenlabs', kind: 'transcription' };
  if (/^\/v1\/text-to-speech\/[\w-]+$/.test(path)) return { vendor: 'elevenlabs', kind: 'speech' };
  return undefined;
}

/**
 * A loopback HTTP server speaking the speech APIs of OpenAI
 * (`/v1/audio/transcriptions` multipart, `/v1/audio/speech`), Deepgram
 * (`/v1/listen` with a raw audio body, `/v1/speak`) and ElevenLabs
 * (`/v1/speech-to-text` multipart, `/v1/text-to-speech/{voice_id}`), as the
 * AI SDK providers call them. Transcription answers scripted text in the
 * vendor's JSON shape; speech answers real audio (espeak-ng) in the format
 * asked for (WAV or raw PCM16 at the requested rate; compressed formats get
 * a 400 naming them). Errors, `retry-after` and delays are scriptable; every
 * request is recorded with credentials redacted.
 */
export async function startSpeechServer(options: SpeechServerOptions = {}): Promise<SpeechServer> {
  const requests: SpeechRequest[] = [];
  const counts = { transcription: 0, speech: 0 };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: (error as Error).message } }));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const target = route(req.method ?? 'GET', url.pathname);
    if (!target)
      return json(res, {
        status: 404,
        body: { error: { message: `No route ${req.method} ${url.pathname}` } },
      });
    const { vendor, kind } = target;
    if (options.apiKey && presentedKey(vendor, req.headers) !== options.apiKey)
      return json(res, { status: 401, body: vendorError(vendor, 401, 'Invalid API key.') });
    const body = await readBody(req);
    if (!body)
      return json(res, { status: 413, body: vendorError(vendor, 413, 'Request body too large.') });
    const recorded: SpeechRequest = {
      callIndex: requests.length,
      vendor,
      kind,
      method: req.method ?? 'POST',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: redactHeaders(req.headers),
      fields: {},
      status: 0,
      receivedAt: Date.now(),
    };
    requests.push(recorded);
    const contentType = req.headers['content-type'] ?? '';
    const index = counts[kind]++;
    if (kind === 'transcription') {
      let audio: Buffer;
      let mediaType = contentType;
      if (vendor === 'deepgram') audio = body;
      else {
        const form = await new Request('http://127.0.0.1/', {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
        }).formData();
        const file = form.get('file');
        for (const [name, value] of form)
          if (typeof value === 'string') recorded.fields[name] = value;
        if (!(file instanceof File))
          return answer(res, recorded, {
            status: 400,
            body: vendorError(vendor, 400, 'Missing the file field.'),
          });
        audio = Buffer.from(await file.arrayBuffer());
        mediaType = file.type;
        recorded.audio = { bytes: audio.length, mediaType, fileName: file.name };
      }
      recorded.audio ??= { bytes: audio.length, mediaType };
      const wav = tryDecodeWav(audio);
      if (wav)
        recorded.audio.wav = {
          sampleRate: wav.sampleRate,
          durationMs: (wav.pcm.length * 1000) / wav.sampleRate,
        };
      const turn = scriptedTranscriptSchema.parse(
        pick(options.transcripts, recorded, index) ?? { text: '' },
      );
      if (turn.delayMs) await sleep(turn.delayMs);
      if (turn.error) return fail(res, recorded, turn.error);
      const durationS = (recorded.audio.wav?.durationMs ?? 0) / 1000;
      const format =
        typeof recorded.fields.response_format === 'string'
          ? recorded.fields.response_format
          : undefined;
      return answer(res, recorded, {
        status: 200,
        body: transcriptionBody(vendor, turn.text ?? '', {
          durationS,
          format,
          language: turn.language,
        }),
      });
    }
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return answer(res, recorded, {
        status: 400,
        body: vendorError(vendor, 400, 'Body is not valid JSON.'),
      });
    }
    recorded.fields = request;
    const text = vendor === 'openai' ? request.input : request.text;
    if (typeof text !== 'string' || !text.trim())
      return answer(res, recorded, {
        status: 400,
        body: vendorError(vendor, 400, 'No text to speak.'),
      });
    recorded.text = text;
    const turn = scriptedSpeechSchema.parse(pick(options.speech, recorded, index) ?? {});
    if (turn.delayMs) await sleep(turn.delayMs);
    if (turn.error) return fail(res, recorded, turn.error);
    const format = requestedFormat(vendor, recorded.query, request);
    if ('unsupported' in format)
      return answer(res, recorded, {
        status: 400,
        body: vendorError(
          vendor,
          400,
          `The stand-in makes WAV or PCM16 only, not ${format.unsupported}.`,
        ),
      });
    const speech = await synthesize(text, options.voice ?? 'espeak', turn.msPerChar);
    const pcm = resampleLinear(speech, format.sampleRate);
    const bytes = format.container === 'wav' ? encodeWav(pcm, format.sampleRate) : rawPcm(pcm);
    recorded.status = 200;
    res.writeHead(200, {
      'content-type': format.container === 'wav' ? 'audio/wav' : 'audio/pcm',
      'content-length': String(bytes.length),
    });
    res.end(bytes);
  }

  const { port, close } = await listenOnLoopback(server, options.port);
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function pick<T>(
  script: SpeechScript<T> | undefined,
  request: SpeechRequest,
  index: number,
): T | undefined {
  if (script === undefined) return undefined;
  return typeof script === 'function' ? script(request, index) : script[index];
}

function fail(
  res: http.ServerResponse,
  recorded: SpeechRequest,
  error: { status: number; message?: string; retryAfterSeconds?: number; retryAfterMs?: number },
): void {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.retryAfterMs !== undefined) headers['retry-after-ms'] = String(error.retryAfterMs);
  answer(res, recorded, {
    status: error.status,
    body: vendorError(
      recorded.vendor,
      error.status,
      error.message ?? `Scripted error ${error.status}.`,
    ),
    headers,
  });
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function answer(res: http.ServerResponse, recorded: SpeechRequest, reply: Reply): void {
  recorded.status = reply.status;
  json(res, reply);
}

function json(res: http.ServerResponse, { status, body, headers = {} }: Reply): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

function tryDecodeWav(bytes: Buffer) {
  try {
    return decodeWav(bytes);
  } catch {
    return undefined;
  }
}

function redactHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] =
      name === 'authorization' || name === 'x-api-key' || name === 'xi-api-key'
        ? '***'
        : [value].flat().join(', ');
  }
  return out;
}
