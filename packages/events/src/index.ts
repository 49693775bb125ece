// @switchboard/events: the universal (browser-safe) entry. Node-only parts
// (JSONL files, SQLite) live in '@switchboard/events/node'.

export { CONTRACT_VERSION, envelopeSchema } from './schema/envelope-schema.js';
export type { Envelope, EnvelopeScope } from './schema/envelope-schema.js';
export {
  EVENT_TYPES,
  RUN_TERMINAL_TYPES,
  SESSION_SCOPED_TYPES,
  eventDataSchemas,
  isEventType,
} from './schema/event-catalog.js';
export type { EventData, EventType } from './schema/event-catalog.js';
export type {
  AgentEvent,
  AnyEvent,
  DraftData,
  EventDraft,
  UnknownEvent,
} from './schema/agent-event.js';
export { isKnownEvent, parseEvent, safeParseEvent } from './schema/parse-event.js';
export type { SafeParseEventResult } from './schema/parse-event.js';
export { eventContractJsonSchema } from './schema/json-schema.js';
export {
  agentRefSchema,
  contentPartSchema,
  costSchema,
  errorInfoSchema,
  interruptSchema,
  knownContentPartSchema,
  tokenUsageSchema,
  truncationSchema,
} from './schema/shared-schemas.js';
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
export {
  finishReasonSchema,
  generationPurposeSchema,
  runTriggerSchema,
  stopReasonSchema,
} from './schema/run-events.js';
export type { FinishReason, RunTrigger, StopReason } from './schema/run-events.js';
export { openEnum } from './schema/open-enum.js';
export {
  ATTACHMENT_URL_PREFIX,
  attachmentIdOf,
  attachmentUrl,
} from './attachments/attachment-url.js';
export { toolCallStatusSchema, toolKindSchema } from './schema/tool-events.js';
export { titleSourceSchema } from './schema/session-events.js';
export type { TitleSource } from './schema/session-events.js';
export { voiceAgentStateSchema, voiceUserStateSchema } from './schema/voice-events.js';
export type { VoiceAgentState, VoiceUserState } from './schema/voice-events.js';
export { VOICE_EVENT_TYPES, isVoiceEvent } from './schema/is-voice-event.js';
export type { VoiceEvent, VoiceEventType } from './schema/is-voice-event.js';
export type { ToolCallStatus } from './schema/tool-events.js';

export { SwitchboardError, toSwitchboardError } from './errors/switchboard-error.js';
export type { SwitchboardErrorInit } from './errors/switchboard-error.js';
export { EVENTS_ERROR_CODES, EventsError } from './errors/events-error.js';
export type { EventsErrorCode } from './errors/events-error.js';

export { createRedactor, redactorOptionsSchema } from './redaction/create-redactor.js';
export type { Redactor, RedactorOptions } from './redaction/create-redactor.js';
export { BUILT_IN_SECRET_PATTERNS, REDACTED } from './redaction/secret-patterns.js';
export { isSecretKey } from './redaction/secret-keys.js';
export { maskSecret } from './redaction/mask-secret.js';

export { SessionSequencer } from './sequencer/session-sequencer.js';
export type { SequenceHead } from './sequencer/session-sequencer.js';
export { sessionSequencerOptionsSchema } from './sequencer/session-sequencer-options.js';
export type { SessionSequencerOptions } from './sequencer/session-sequencer-options.js';
export { EventBus } from './bus/event-bus.js';
export type { EventBusOptions } from './bus/event-bus-options.js';
export type { OverflowPolicy } from './bus/sink-queue.js';
export { DEFAULT_MAX_EVENT_BYTES, TRUNCATION_META_KEY } from './bus/fit-event-size.js';

export type { EventSink } from './sinks/event-sink.js';
export { MultiSink } from './sinks/multi-sink.js';
export type { SinkErrorHandler } from './sinks/multi-sink.js';
export { multiSinkOptionsSchema } from './sinks/multi-sink-options.js';
export type { MultiSinkOptions } from './sinks/multi-sink-options.js';
export { SessionSinkRegistry } from './sinks/session-sink-registry.js';

export type { EventLog, SubscribeOptions } from './log/event-log.js';
export { MemoryEventLog } from './log/memory-event-log.js';
export { DEFAULT_READ_LIMIT } from './log/event-log.js';
export { EventUpgrader } from './schema/upgrade-event.js';

export { SSE_HEADERS } from './sse/sse-headers.js';
export {
  encodeSseComment,
  encodeSseEvent,
  encodeSseOpened,
  encodeSseRetry,
} from './sse/encode-sse.js';
export {
  TRANSPORT_EVENT_TYPES,
  streamOpenedDataSchema,
  streamOpenedSchema,
} from './sse/transport-events.js';
export type { StreamOpened, StreamOpenedData } from './sse/transport-events.js';
export { createSseStream } from './sse/create-sse-stream.js';
export type { CreateSseStreamOptions } from './sse/create-sse-stream.js';
export { DEFAULT_MAX_SSE_BLOCK_CHARS, SseParser, decodeSseStream } from './sse/decode-sse.js';
export type { SseFrame } from './sse/decode-sse.js';
export {
  createResumableEventStream,
  parseLastEventId,
  resolveResumeCursor,
} from './sse/resume-sse.js';
export type { ResumableEventStreamOptions } from './sse/resume-sse.js';
export { connectEventStream } from './sse/connect-event-stream.js';
export type {
  ConnectEventStreamOptions,
  FetchLike,
  ValidateEvent,
} from './sse/connect-event-stream.js';

export * from './view/index.js';

// Moved to '@switchboard/events/internal' (building blocks of this repository's packages, outside
// semver). The root keeps the names, deprecated, so existing imports still compile.
export {
  /** @deprecated Import from `@switchboard/events/internal` (unstable, outside semver). */
  optionsParser,
  /** @deprecated Import from `@switchboard/events/internal` (unstable, outside semver). */
  parseOptions,
  /** @deprecated Import from `@switchboard/events/internal` (unstable, outside semver). */
  envSchema,
  /** @deprecated Import from `@switchboard/events/internal` (unstable, outside semver). */
  replayThenLive,
  /** @deprecated Import from `@switchboard/events/internal` (unstable, outside semver). */
  LiveListeners,
  /** @deprecated Import from `@switchboard/events/internal` (unstable, outside semver). */
  checkContiguous,
} from './internal.js';
export type {
  /** @deprecated Import from `@switchboard/events/internal` (unstable, outside semver). */
  OptionsErrorClass,
  /** @deprecated Import from `@switchboard/events/internal` (unstable, outside semver). */
  OptionsParser,
  /** @deprecated Import from `@switchboard/events/internal` (unstable, outside semver). */
  LiveListener,
  /** @deprecated Import from `@switchboard/events/internal` (unstable, outside semver). */
  ReplaySource,
} from './internal.js';
