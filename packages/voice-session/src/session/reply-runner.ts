import type { AgentSession, RunHandle } from '@switchboard/agent-core';
import type { SpeechHandle } from './speech-handle.js';
import type { SpeechSynthesis } from './speech-synthesis.js';

/** What a reply run reports back to the session. */
export interface ReplyHost {
  readonly agentSession: AgentSession;
  onRunStarted(speech: SpeechHandle, handle: RunHandle): void;
  onFirstToken(speech: SpeechHandle, wallMs: number): void;
  onReplyError(speech: SpeechHandle, message: string, cause?: unknown): void;
}

/** One reply: how its agent-core run starts, and where its text goes. */
export interface Reply {
  /** Starts the run (`run` for a user turn, `generateReply` without one). */
  start: (session: AgentSession) => RunHandle;
  synthesis: SpeechSynthesis;
  /** A model step ended (a held preemptive run waits for confirmation after it). */
  onStepFinished?(): void;
}

/**
 * The model step of a voice turn: one agent-core run (for a user turn, its
 * user message is the transcript, `user.message { source: 'voice' }`), its
 * streamed text fed to speech synthesis as it arrives. A speech interrupted
 * meanwhile stops the run (the session truncates it to what was spoken); a
 * withdrawn one withdraws it.
 */
export async function runReply(host: ReplyHost, speech: SpeechHandle, reply: Reply): Promise<void> {
  const { synthesis } = reply;
  const started = performance.now();
  let handle: RunHandle;
  try {
    handle = await startRun(host.agentSession, reply.start);
  } catch (error) {
    host.onReplyError(speech, error instanceof Error ? error.message : String(error), error);
    return;
  }
  host.onRunStarted(speech, handle);
  let first = true;
  for await (const event of handle) {
    if (speech.interrupted) {
      if (speech.withdrawn) handle.withdraw();
      else handle.cancel('interrupted');
      break;
    }
    if (event.runId !== handle.runId) continue;
    if (event.type === 'step.finished') reply.onStepFinished?.();
    if (event.type !== 'message.delta') continue;
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

/**
 * Starts the run; a previous reply still streaming (a stale one) is
 * cancelled first, a `say()` being recorded is waited for.
 */
async function startRun(
  session: AgentSession,
  start: (session: AgentSession) => RunHandle,
): Promise<RunHandle> {
  for (let attempt = 0; ; attempt++) {
    try {
      return start(session);
    } catch (error) {
      if ((error as { code?: string }).code !== 'CORE_SESSION_BUSY' || attempt >= 3) throw error;
      session.cancel('superseded by a new voice turn');
      await session.idle();
    }
  }
}

/**
 * Cuts the speech's run in the agent-core transcript to what was spoken (the
 * model's next call sees only that). A run that wrote no text, or a session
 * closed meanwhile, has nothing to cut.
 */
export async function truncateToSpoken(session: AgentSession, speech: SpeechHandle): Promise<void> {
  if (speech.runId === undefined) return;
  try {
    await session.truncateReply(speech.runId, {
      spokenText: speech.spokenText(),
      spokenMs: speech.spokenMs,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'CORE_RUN_NOT_FOUND' && code !== 'CORE_SESSION_CLOSED') throw error;
  }
}

/** Runs `start` once the agent session has no active run (a `say()` never cancels a reply). */
export async function whenIdle(
  session: AgentSession,
  start: (session: AgentSession) => RunHandle,
): Promise<RunHandle> {
  for (;;) {
    try {
      return start(session);
    } catch (error) {
      if ((error as { code?: string }).code !== 'CORE_SESSION_BUSY') throw error;
      await session.idle();
    }
  }
}
