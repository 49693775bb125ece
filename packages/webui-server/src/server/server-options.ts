import type { Agent } from '@switchboard/agent-core';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { voiceEndpointSchema } from '../voice/voice-endpoint.js';
import { webuiPluginSchema } from './webui-plugin.js';

/** One MiB: the default limit of a JSON body. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** 16 MiB: the default limit of a chat request body (`useChat` sends the whole conversation). */
export const DEFAULT_CHAT_BODY_LIMIT = 16 * 1024 * 1024;
/** 20 MiB: the default limit of an imported JSONL event log. */
export const DEFAULT_IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
/** 10 MiB: the default limit of one uploaded attachment. */
export const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;

const rateLimitWindow = (max: number) =>
  z
    .object({
      max: z.number().int().positive().default(max),
      timeWindowMs: z.number().int().positive().default(60_000),
    })
    .default({ max, timeWindowMs: 60_000 });

const hostName = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'expected a host name or address, without scheme or path');
const origin = z
  .string()
  .regex(/^https?:\/\/[^/\s]+$/, 'expected an origin like https://app.example.com (no path)');

/** Options of the API plugin ({@link webuiServerPlugin}), parsed once. */
export const apiOptionsSchema = z.object({
  /**
   * The agent whose sessions the API serves. Its bus must have an event log
   * (streams are replayed from it) and it should have a persistent session
   * store. Omitted: the server runs without a model; health and config
   * answer, everything else is `503 WEBUI_NO_MODEL`.
   */
  agent: z
    .custom<Agent>(
      (value) =>
        typeof value === 'object' && value != null && 'createSession' in value && 'bus' in value,
      { message: 'expected an Agent (createAgent from @switchboard/agent-core)' },
    )
    .optional(),
  /**
   * Every `/api` request must send `Authorization: Bearer <token>` (SSE
   * too). Required when listening beyond loopback.
   */
  token: z.string().min(16, 'use at least 16 characters (e.g. openssl rand -hex 32)').optional(),
  /**
   * Host names (without port) accepted in the `Host` header besides
   * `localhost`, `127.0.0.1` and `[::1]`: the public name of the server.
   * Anything else is refused (DNS rebinding).
   */
  allowedHosts: z.array(hostName).default([]),
  /**
   * Origins besides the server's own that may send state-changing requests;
   * they also get CORS headers. Empty: CORS is off.
   */
  allowedOrigins: z.array(origin).default([]),
  /**
   * A heartbeat comment is sent on an idle event stream this often (ms); voice
   * WebSockets are pinged as often, and one that leaves a ping unanswered for
   * a whole interval is ended (its session's voice claim is given back).
   * @default 15000
   */
  heartbeatMs: z.number().int().min(10).default(15_000),
  /** Reconnection delay sent to event-stream clients as `retry:` (ms). @default 1000 */
  sseRetryMs: z.number().int().nonnegative().default(1000),
  /**
   * Largest body of `POST /sessions/:id/chat` and `POST /sessions/:id/ag-ui`
   * in bytes: their clients send the whole conversation with every request.
   * @default 16 MiB
   */
  chatBodyLimit: z.number().int().positive().default(DEFAULT_CHAT_BODY_LIMIT),
  /**
   * Where uploaded attachments are kept (content-addressed; the app passes
   * `SWITCHBOARD_HOME/attachments`). Without it, uploads answer
   * `503 WEBUI_NO_ATTACHMENTS`.
   */
  attachmentsDir: z.string().min(1).optional(),
  /** Largest uploaded file in bytes. @default 10 MiB */
  attachmentLimit: z.number().int().positive().default(DEFAULT_ATTACHMENT_LIMIT),
  /** Largest JSONL body of `POST /sessions/import` in bytes. @default 20 MiB */
  importBodyLimit: z.number().int().positive().default(DEFAULT_IMPORT_BODY_LIMIT),
  /**
   * Per client (IP) and window: `runs` started (runs, chat and AG-UI
   * requests), `uploads` (attachments and imports).
   */
  rateLimit: z.object({ runs: rateLimitWindow(60), uploads: rateLimitWindow(30) }).default({
    runs: { max: 60, timeWindowMs: 60_000 },
    uploads: { max: 30, timeWindowMs: 60_000 },
  }),
  /**
   * On close: how long active runs may keep going before they are
   * cancelled, and again how long a cancelled run may take to save (ms).
   * @default 10000
   */
  shutdownGraceMs: z.number().int().nonnegative().default(10_000),
  /**
   * Gives an idle session's lease up this long after its last use (no run
   * active; a run paused for approval counts as idle), so another instance
   * on the same database may run or answer it; the handle stays cached and
   * takes the lease back on its next use. Unset: sessions stay leased while
   * open (one instance). `startWebServer` sets 1000 with a database URL.
   */
  idleReleaseMs: z.number().int().nonnegative().optional(),
  /** Injected parts (tracing, voice, …); see {@link WebuiPlugin}. */
  plugins: z.array(webuiPluginSchema).default([]),
  /**
   * The voice endpoint behind the WebSocket `GET /sessions/:id/voice`,
   * injected (e.g. built on `@switchboard/voice-session`). Without it that
   * route answers `503 WEBUI_VOICE_DISABLED` and `GET /config` reports
   * `features.voice: false`.
   */
  voice: voiceEndpointSchema.optional(),
});

/** What you pass to {@link webuiServerPlugin}. */
export type ApiOptions = z.input<typeof apiOptionsSchema>;
/** API options after parsing and defaults. */
export type ResolvedApiOptions = z.output<typeof apiOptionsSchema>;

/** Options of {@link createServer}, parsed once: the API options plus how to listen. */
export const serverOptionsSchema = apiOptionsSchema.extend({
  /** Address to listen on. Beyond loopback a `token` is required. @default '127.0.0.1' */
  host: z.string().min(1).default('127.0.0.1'),
  /** Port; 0 picks a free one. @default 8420 */
  port: z.number().int().min(0).max(65_535).default(8420),
  /** Largest request body in bytes. @default 1 MiB */
  bodyLimit: z.number().int().positive().default(DEFAULT_BODY_LIMIT),
  /**
   * Fastify's logger (pino): `true`, `false`, or pino options such as
   * `{ level: 'debug' }`. Authorization headers are always redacted.
   * @default true
   */
  logger: z.union([z.boolean(), z.looseObject({ level: z.string().optional() })]).default(true),
  /**
   * Routes outside `/api` (the web app's pages and static files), registered
   * at the root before the server is ready, so after `createServer` nothing
   * needs adding. The Host check, security headers and the error model
   * apply to them; the API's token, Origin and JSON checks do not.
   */
  routes: z
    .custom<FastifyPluginAsync>((value) => typeof value === 'function', {
      message: 'expected a Fastify plugin (a function)',
    })
    .optional(),
});

/** What you pass to {@link createServer}. */
export type ServerOptions = z.input<typeof serverOptionsSchema>;
/** Server options after parsing and defaults. */
export type ResolvedServerOptions = z.output<typeof serverOptionsSchema>;
