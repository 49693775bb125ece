// @switchboard/testkit: offline test doubles that speak real protocols.
export { startModelServer } from './model-server/start-model-server.js';
export type { ModelServer } from './model-server/start-model-server.js';
export { scriptedTurnSchema } from './model-server/scripted-turn.js';
export type { ModelScript, RecordedRequest, ScriptedTurn } from './model-server/scripted-turn.js';
export { openAiChunks } from './model-server/openai-chunks.js';
