// @switchboard/webui-server: the Switchboard web API (sessions, runs, resumable
// SSE over the @switchboard/events log) as a Fastify plugin and a server.

export { createServer } from './server/create-server.js';
export type { WebuiServer } from './server/create-server.js';
export { webuiServerPlugin } from './server/webui-server-plugin.js';
export {
  DEFAULT_BODY_LIMIT,
  apiOptionsSchema,
  serverOptionsSchema,
} from './server/server-options.js';
export type {
  ApiOptions,
  ResolvedApiOptions,
  ResolvedServerOptions,
  ServerOptions,
} from './server/server-options.js';
export { webuiPluginSchema } from './server/webui-plugin.js';
export type { Detach, WebuiPlugin } from './server/webui-plugin.js';
export { WEBUI_ERROR_CODES, WebuiServerError } from './errors/webui-server-error.js';
export type { WebuiErrorCode, WebuiServerErrorInit } from './errors/webui-server-error.js';
export type { ErrorBody } from './errors/to-error-body.js';
export { FOREIGN_CODE_STATUS, statusOfCode } from './errors/http-status.js';
export { createHostCheck } from './security/host-check.js';
export type { HostCheckOptions } from './security/host-check.js';
export { isLoopbackAddress } from './security/host-names.js';
export type { SessionMeta, SessionPage } from './sessions/agent-features.js';
/** The body of `GET /api/sessions/:id`'s `view` (the contract's JSON form of the view model). */
export type { SessionViewJson } from '@switchboard/events';
export { VERSION } from './version.js';
export { startWebServer, startWebServerOptionsSchema } from './app/start-web-server.js';
export type {
  LogDestination,
  RunningWebServer,
  StartWebServerOptions,
  WebAppAgentOptions,
} from './app/start-web-server.js';
export type { TracingFactory } from './app/tracing-factory.js';
export type { DatabaseStores, DatabaseStoresFactory } from './app/open-agent.js';
export { STOP_SIGNALS, closeOnSignals } from './app/close-on-signals.js';
export type { CloseOnSignalsOptions } from './app/close-on-signals.js';
export { WEB_LOGGER_OPTIONS } from './app/web-logger.js';
export {
  BEARER_SUBPROTOCOL_PREFIX,
  VOICE_MAX_MESSAGE_BYTES,
  VOICE_SUBPROTOCOL,
  voiceEndpointSchema,
} from './voice/voice-endpoint.js';
export type { VoiceConnection, VoiceEndpoint, VoiceSocket } from './voice/voice-endpoint.js';
