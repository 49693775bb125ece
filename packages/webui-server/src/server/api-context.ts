import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Agent } from '@switchboard/agent-core';
import type { EventLog, Redactor } from '@switchboard/events';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AttachmentStore } from '../attachments/attachment-store.js';
import { WebuiServerError } from '../errors/webui-server-error.js';
import type { RunService } from '../runs/run-service.js';
import type { AgentFeatures } from '../sessions/agent-features.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import type { FanOutHubs } from '../sse/fan-out-hubs.js';
import type { OpenEventStream } from '../sse/open-event-stream.js';
import type { ResolvedApiOptions } from './server-options.js';

/** The Fastify instance the API's routes are declared on (zod schemas, typed). */
export type ApiInstance = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What the routes work with when the server has an agent. */
export interface AgentServices {
  agent: Agent;
  /** The agent bus's event log: streams and views are read from it. */
  log: EventLog;
  /** The live fan-out of each watched session's events (one log subscription per session). */
  hubs: FanOutHubs;
  features: AgentFeatures;
  sessions: SessionRegistry;
  runs: RunService;
}

/** State shared by the API's routes and hooks. */
export interface ApiContext {
  options: ResolvedApiOptions;
  redactor: Redactor;
  /** Aborted when the server closes: every open event stream ends cleanly. */
  streams: AbortController;
  /** Event streams still being written, with the last seq each has sent. */
  openStreams: Set<OpenEventStream>;
  /** Set once close() has begun: new requests get 503 WEBUI_SHUTTING_DOWN. */
  closing: boolean;
  /** Called once the API has drained on close (createServer ends unused connections then). */
  onDrained?: () => void;
  /** Absent when the server runs without a model. */
  services: AgentServices | undefined;
  /** Absent without `attachmentsDir`. */
  attachments: AttachmentStore | undefined;
}

/** The agent's services, or `503 WEBUI_NO_MODEL` naming what to configure. */
export function requireAgent(context: ApiContext): AgentServices {
  if (context.services) return context.services;
  throw new WebuiServerError({
    code: 'WEBUI_NO_MODEL',
    message: 'No model is configured, so there are no sessions to run.',
    hint: 'Set SWITCHBOARD_MODEL (e.g. openai:gpt-4o-mini with OPENAI_API_KEY, or openai-compatible:<model> with SWITCHBOARD_BASE_URL and SWITCHBOARD_API_KEY) and restart.',
  });
}
