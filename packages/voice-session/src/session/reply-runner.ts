import type { AgentSession, RunHandle } from '@switchboard/agent-core';
import type { SpeechHandle } from './speech-handle.js';
import type { SpeechSynthesis } from './speech-synthesis.js';

/** What a reply run reports back to the session. */
export interface ReplyHost {
  readonly agentSession: AgentSession;
  onRunStarted(speech: SpeechHandle, runId: string): void;
  onFirstToken(speech: SpeechHandle, wallMs: number): void;
  onReplyError(speech: SpeechHandle, message: string, cause?: unknown): void;
}

/**
 * The model step of a voice turn: one agent-core run whose user message is
 * the transcript (`user.message { source: 'voice' }`), its streamed text fed
 * to speech synthesis as it arrives. A speech interrupted meanwhile cancels
 * the run (its transcript keeps what the model wrote, marked by agent-core).
 */
export async function runReply(
  host: ReplyHost,
  speech: SpeechHandle,
  reply: { text: string; synthesis: SpeechSynthesis },
): Promise<void> {
  const { text, synthesis } = reply;
  const started = performance.now();
  let handle: RunHandle;
  try {
    handle = await startRun(host.agentSession, text);
  } catch (error) {
    host.onReplyError(speech, error instanceof Error ? error.message : String(error), error);
    return;
  }
  host.onRunStarted(speech, handle.runId);
  let first = true;
  for await (const event of handle) {
    if (speech.interrupted) {
      handle.cancel('interrupted');
      break;
    }
    if (event.type !== 'message.delta' || event.runId !== handle.runId) continue;
    const delta = (event.data as { delta: string }).delta;
    if (first) host.onFirstToken(speech, performance.now() - started);
    first = false;
    speech.modelText += delta;
    synthesis.push(delta);
  }
  const result = await handle.result;
  if (result.stopReason === 'failed' && !speech.interrupted)
    host.onReplyError(speech, result.error?.message ?? 'The model run failed.', result.error);
}

/** Starts the run; a previous run still streaming (a stale reply) is cancelled first. */
async function startRun(session: AgentSession, text: string): Promise<RunHandle> {
  try {
    return session.run({ text, source: 'voice' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'CORE_SESSION_BUSY') throw error;
    session.cancel('superseded by a new voice turn');
    await session.idle();
    return session.run({ text, source: 'voice' });
  }
}
