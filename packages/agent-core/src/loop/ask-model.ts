import { loadAttachments } from '../sessions/load-attachments.js';
import { recordUsage } from '../usage/record-usage.js';
import { maybeCompact } from './compaction.js';
import { runModelStep, type ModelStepOutput } from './model-step.js';
import type { RunState } from './run-state.js';
import { runModelInput } from './run-model-input.js';
import { keepAssistantMessage } from './step-transcript.js';
import { prepareCall, presentCall } from './tool-phase.js';

/**
 * The model half of a step: compacts when due, builds this request's prompt,
 * streams the model's answer, records usage, keeps the answer in the
 * transcript and runs the `post_api_request` hooks.
 */
export async function askModel(run: RunState, stepIndex: number): Promise<ModelStepOutput> {
  const { agent, session, emitter } = run;
  await maybeCompact(run);
  const base = await agent.instructions(session.id);
  // Instructions for this run only (generateReply): never part of the transcript.
  const system = run.instructions ? `${base}\n\n${run.instructions}` : base;
  // The converted prompt is the session's (kept between steps); attachments are
  // loaded into a copy for this request only.
  const prompt = await loadAttachments(session.state.providerPrompt(system), run.attachments);
  const tools = [...agent.tools.toSpecTools(), ...agent.tools.toSpecTools(run.localTools)];
  const step = await runModelStep({
    ...runModelInput(run, 'turn'),
    prompt,
    tools,
    settings: agent.options.modelSettings,
    presentTool: (toolName) => presentCall(run, toolName),
    prepareToolCall: (toolName, args) => prepareCall(run, toolName, args),
    // The same number as estimating `prompt`, without serialising the whole conversation.
    promptTokens: () => session.state.estimatePromptTokens(system),
    onFallback: ({ from, to, error }) =>
      emitter.emit('notice', {
        severity: 'warning',
        code: 'CORE_MODEL_FALLBACK',
        message: `Model ${from} failed (${error.code}); falling back to ${to}.`,
      }),
  });
  run.modelCalls += 1;
  recordUsage(run, step);
  keepAssistantMessage(run, step);
  // What the model said is durable before any tool runs: a crash mid-tool loses nothing.
  if (step.toolCalls.length > 0) await session.checkpoint();
  await afterApiRequest(run, step, { stepIndex, messageCount: prompt.length });
  return step;
}

async function afterApiRequest(
  run: RunState,
  step: ModelStepOutput,
  { stepIndex, messageCount }: { stepIndex: number; messageCount: number },
): Promise<void> {
  await run.agent.hooks.run('post_api_request', {
    sessionId: run.session.id,
    runId: run.runId,
    turn: run.turn,
    ...(run.parentRunId === undefined ? {} : { parentRunId: run.parentRunId }),
    stepIndex,
    apiCallIndex: run.session.state.snapshot.totals.apiCalls,
    generationId: step.generationId,
    provider: step.provider,
    model: step.model,
    ...(step.responseModel ? { responseModel: step.responseModel } : {}),
    apiDurationMs: step.durationMs,
    ...(step.timeToFirstTokenMs === undefined
      ? {}
      : { timeToFirstTokenMs: step.timeToFirstTokenMs }),
    finishReason: step.finishReason,
    usage: step.usage,
    ...(run.costUsd === undefined ? {} : { costUsd: run.costUsd }),
    messageCount,
    assistantContentChars: step.text.length,
    assistantToolCallCount: step.toolCalls.length,
    attempt: step.attempt,
    fallbackIndex: step.modelIndex,
  });
}
