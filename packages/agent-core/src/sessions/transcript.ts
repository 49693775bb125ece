import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { PromptConverter } from './prompt-converter.js';
import {
  SNAPSHOT_VERSION,
  type SessionSnapshot,
  type TranscriptEntry,
} from './session-snapshot.js';

export { MISSING_TOOL_RESULT } from './prompt-converter.js';

/** A new, empty session snapshot. */
export function createEmptySnapshot(init: {
  sessionId: string;
  agentName: string;
  userId?: string;
  /** The session's model id (see `SessionSnapshot.model`). */
  model?: string;
  /** A title the user gave at creation (`titleSource: 'user'`). */
  title?: string;
  now: number;
}): SessionSnapshot {
  return {
    version: SNAPSHOT_VERSION,
    sessionId: init.sessionId,
    agentName: init.agentName,
    ...(init.userId === undefined ? {} : { userId: init.userId }),
    ...(init.model === undefined ? {} : { model: init.model }),
    ...(init.title === undefined ? {} : { title: init.title, titleSource: 'user' }),
    createdAt: init.now,
    updatedAt: init.now,
    status: 'idle',
    turn: 0,
    transcript: [],
    pending: [],
    queuedSteers: [],
    totals: { usage: {}, apiCalls: 0 },
  };
}

/**
 * The provider prompt for a transcript. Only the `message` of each entry is
 * sent: display metadata never leaves the process. Entries shown for the
 * user only (errors) and entries replaced by a compaction summary are left
 * out; partial answers cut by a cancel stay in, so the model knows what it
 * already said.
 *
 * Providers reject a tool call without a result and a result without its call.
 * A call left without a result (a crash mid-tool) gets a synthetic error
 * result right after its assistant message; a result whose call is not in the
 * prompt is dropped.
 *
 * This converts the whole transcript; a session converts incrementally
 * through `ProviderPromptCache`, with the same result.
 */
export function toProviderPrompt(
  system: string,
  transcript: readonly TranscriptEntry[],
): LanguageModelV3Prompt {
  const converter = new PromptConverter();
  for (const entry of transcript) converter.add(entry);
  return converter.prompt(system);
}

/**
 * A compaction's edit: marks `archived` entries archived (kept for display,
 * no longer sent) and inserts `summary` right before `firstKept`.
 */
export function archiveWithSummary(
  transcript: TranscriptEntry[],
  edit: {
    archived: readonly TranscriptEntry[];
    summary: TranscriptEntry;
    firstKept: TranscriptEntry;
  },
): void {
  for (const entry of edit.archived) entry.display.archived = true;
  transcript.splice(transcript.indexOf(edit.firstKept), 0, edit.summary);
}
