// @switchboard/testkit: offline test doubles that speak real protocols.
export { startModelServer } from './model-server/start-model-server.js';
export type { ModelServer } from './model-server/start-model-server.js';
export { scriptedTurnSchema } from './model-server/scripted-turn.js';
export type { ModelScript, RecordedRequest, ScriptedTurn } from './model-server/scripted-turn.js';
export { openAiChunks } from './model-server/openai-chunks.js';
export { createScriptedModel } from './scripted-model/scripted-language-model.js';
export type {
  ScriptedLanguageModel,
  ScriptedModelCall,
  ScriptedModelScript,
} from './scripted-model/scripted-language-model.js';
export { readScriptFile, scriptFileSchema, serveModel } from './cli/serve-model.js';
export {
  startLangfuseReceiver,
  LANGFUSE_OTEL_TRACES_PATH,
} from './langfuse-receiver/start-langfuse-receiver.js';
export type {
  LangfuseReceiver,
  ReceivedExport,
  ReceiverResponse,
} from './langfuse-receiver/start-langfuse-receiver.js';
export { decodeOtlpTraces } from './langfuse-receiver/decode-otlp.js';
export type { OtlpValue, ReceivedSpan } from './langfuse-receiver/decode-otlp.js';
export { findPostgresBin, startPostgresCluster } from './postgres/start-postgres-cluster.js';
export type { PostgresCluster, PostgresClusterOptions } from './postgres/start-postgres-cluster.js';
export { startSpeechServer } from './speech-server/start-speech-server.js';
export type { SpeechServer, SpeechServerOptions } from './speech-server/start-speech-server.js';
export type {
  ScriptedSpeech,
  ScriptedTranscript,
  SpeechRequest,
  SpeechScript,
  SpeechVendor,
} from './speech-server/speech-script.js';
