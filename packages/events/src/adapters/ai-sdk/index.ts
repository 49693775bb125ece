// @switchboard/events/ai-sdk: the contract as an AI SDK UI message stream. Needs the optional peer `ai`
// (types; `toUiMessages` also imports it at run time, when called).
export {
  UI_DATA_PREFIX,
  UI_MESSAGE_STREAM_HEADERS,
  createUiMessageStreamAdapter,
  encodeUiMessageChunk,
  toUiMessageChunks,
} from './to-ui-message-stream.js';
export type { UiMessageStreamAdapter } from './to-ui-message-stream.js';
export { toUiMessages } from './to-ui-messages.js';
