// @switchboard/events/client: the light entry for browsers and other clients.
// It holds no zod and no schemas at runtime: types are type-only exports, and
// validation is the caller's choice (`connectEventStream` checks envelopes;
// pass `validate: parseEvent` from the main entry for payloads too).
// The bundle-size test in client.test.ts keeps it that way.

export type {
  AgentEvent,
  AnyEvent,
  DraftData,
  EventDraft,
  UnknownEvent,
} from './schema/agent-event.js';
export type { Envelope, EnvelopeScope } from './schema/envelope-schema.js';
export type { EventData, EventType } from './schema/event-catalog.js';
export type {
  AgentRef,
  ContentPart,
  Cost,
  ErrorInfo,
  Interrupt,
  KnownContentPart,
  TokenUsage,
  Truncation,
} from './schema/shared-schemas.js';
export type { FinishReason, StopReason } from './schema/run-events.js';
export type { ToolCallStatus } from './schema/tool-events.js';
export type { TitleSource } from './schema/session-events.js';
export { VOICE_EVENT_TYPES, isVoiceEvent } from './schema/is-voice-event.js';
export type { VoiceEvent, VoiceEventType } from './schema/is-voice-event.js';
export type { StreamOpened, StreamOpenedData } from './sse/transport-events.js';

export { SseParser, decodeSseStream } from './sse/decode-sse.js';
export { connectEventStream } from './sse/connect-event-stream-client.js';
export type { ConnectEventStreamOptions, FetchLike, ValidateEvent } from './sse/connect-options.js';
export { checkEnvelope, isEnvelope } from './sse/check-envelope.js';
export { CONTRACT_VERSION } from './schema/contract-version.js';
export {
  ATTACHMENT_URL_PREFIX,
  attachmentIdOf,
  attachmentUrl,
} from './attachments/attachment-url.js';
export type { SseFrame } from './sse/decode-sse.js';
export { EventsError } from './errors/events-error.js';
export type { EventsErrorCode } from './errors/events-error.js';

export * from './view/index.js';
