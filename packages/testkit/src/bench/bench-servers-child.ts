// The child process behind startBenchServers: the scripted model server and
// the Langfuse receiver, driven over the IPC channel. Exits when the parent
// disconnects, so a crashed bench leaves nothing behind.
import { startLangfuseReceiver } from '../langfuse-receiver/start-langfuse-receiver.js';
import type { ModelScript } from '../model-server/scripted-turn.js';
import { startModelServer } from '../model-server/start-model-server.js';
import type { BenchMessage, BenchRequest, BenchScriptName } from './bench-protocol.js';
import { threeToolCallsThenAnswer } from './three-tool-calls.js';

const scripts: Record<BenchScriptName, (paceMs: number) => ModelScript> = {
  'three-tool-calls': (paceMs) => threeToolCallsThenAnswer({ paceMs }),
  'short-answer': (paceMs) => () => ({
    text: 'Hello there!',
    usage: { inputTokens: 10, outputTokens: 3 },
    ...(paceMs ? { delayMs: paceMs } : {}),
  }),
};

const send = (message: BenchMessage) => process.send?.(message);

/**
 * The server records every request with its body; a bench makes thousands,
 * some with long transcripts, so only the count is kept.
 */
const forgetful = (script: ModelScript): ModelScript => {
  const play =
    typeof script === 'function' ? script : (_: unknown, index: number) => script[index]!;
  return (request, callIndex) => {
    model.requests.length = 0;
    return play(request, callIndex);
  };
};

const model = await startModelServer({ script: forgetful(scripts['three-tool-calls'](0)) });
const receiver = await startLangfuseReceiver();

process.on('message', (request: BenchRequest) => {
  if (request.type === 'stats') {
    send({
      id: request.id,
      type: 'stats',
      modelCalls: model.callCount,
      spans: receiver.spans().length,
      exports: receiver.requests.length,
    });
  } else {
    model.setScript(forgetful(scripts[request.name](request.paceMs ?? 0)));
    send({ id: request.id, type: 'ok' });
  }
});
process.once('disconnect', () => {
  void Promise.all([model.close(), receiver.close()]).finally(() => process.exit(0));
});
send({ type: 'ready', modelBaseUrl: model.baseUrl, receiverBaseUrl: receiver.baseUrl });
