import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { isSentToModel } from '../sessions/prompt-converter.js';
import type { TranscriptEntry } from '../sessions/session-snapshot.js';
import { toProviderPrompt } from '../sessions/transcript.js';
import { contextWindowOf, recordUsage } from '../usage/record-usage.js';
import { runModelStep } from './model-step.js';
import { runModelInput } from './run-model-input.js';
import type { RunState } from './run-state.js';

const SUMMARY_INSTRUCTIONS =
  'Summarise the conversation below for your own later use. Keep every fact, decision, open question, ' +
  'file name, number and tool result that may matter later; drop pleasantries. Write plain text, at most 400 words.';

/**
 * Compacts the context when the next prompt is estimated above the
 * threshold: the older entries (all but the `keepRecent` newest, never
 * splitting a tool call from its result) are summarised by the model into one
 * entry. The originals stay in the transcript, marked `archived`, so the
 * display history is whole; only the summary is sent from then on.
 */
export async function maybeCompact(run: RunState): Promise<boolean> {
  const options = run.agent.options.compaction;
  if (options === false) return false;
  const { session, agent } = run;
  const system = await agent.instructions(session.id);
  // Measured incrementally: a step that does not compact costs the same at any length.
  const before = session.state.estimatePromptTokens(system);
  // The budget never exceeds the window of the model that will read the prompt (the session's).
  const model = run.model.primary;
  const window = contextWindowOf(agent, model.provider, model.modelId) ?? Infinity;
  if (before <= options.threshold * Math.min(options.contextWindow, window)) return false;
  const live = session.state.snapshot.transcript.filter(isSentToModel);
  let cut = live.length - options.keepRecent;
  // The first kept entry must not be a tool result whose call would be archived.
  while (cut > 0 && live[cut]?.message.role === 'tool') cut -= 1;
  if (cut <= 0) return false;
  const archived = live.slice(0, cut);
  const summary = await summarise(run, archived);
  if (summary === undefined) return false;
  const summaryEntry: TranscriptEntry = {
    id: agent.newId('msg'),
    runId: run.runId,
    message: {
      role: 'user',
      content: [{ type: 'text', text: `Summary of the earlier conversation:\n${summary}` }],
    },
    display: { createdAt: agent.now(), status: 'complete', source: 'summary' },
  };
  session.state.compact({ archived, summary: summaryEntry, firstKept: live[cut]! });
  const after = session.state.estimatePromptTokens(system);
  run.emitter.emit('context.compacted', {
    compactionId: agent.newId('cmp'),
    strategy: 'summarise',
    archivedMessages: archived.length,
    tokensBefore: before,
    tokensAfter: after,
    estimated: true,
  });
  await session.checkpoint();
  return true;
}

async function summarise(
  run: RunState,
  entries: readonly TranscriptEntry[],
): Promise<string | undefined> {
  const conversation = toProviderPrompt('', entries as TranscriptEntry[])
    .filter((message) => message.role !== 'system')
    .map((message) => `${message.role}: ${JSON.stringify(message.content)}`)
    .join('\n');
  const prompt: LanguageModelV3Prompt = [
    { role: 'system', content: SUMMARY_INSTRUCTIONS },
    { role: 'user', content: [{ type: 'text', text: conversation }] },
  ];
  const { agent } = run;
  // A generation like any other (retries, usage, cost, counted in the session), minus the content events.
  const step = await runModelStep({
    ...runModelInput(run, 'compaction'),
    prompt,
    tools: [],
    settings: {},
  });
  recordUsage(run, step);
  // Compaction is an optimisation: if it fails the run goes on uncompacted.
  if (step.error) agent.reportError(step.error);
  if (step.error || step.cancelled) return undefined;
  return step.text.trim() || undefined;
}
