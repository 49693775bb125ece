import type { UIMessageChunk } from 'ai';
import type { AnyEvent } from '../../schema/agent-event.js';

/** Prefix of the `data-*` parts this adapter emits for events the AI SDK has no chunk for. */
export const UI_DATA_PREFIX = 'data-switchboard-';

/**
 * Events that belong in the message history, sent as persistent data parts
 * (kept in `message.parts`, one per id: a later one replaces it). Every other
 * event is transient: it reaches `onData` and is not stored.
 */
const PERSISTENT_DATA: ReadonlySet<string> = new Set([
  'plan.updated',
  'context.compacted',
  'agent.handoff',
  // Who allowed or denied a call stays visible next to it.
  'tool_call.approval_resolved',
  // A failed run's error: the `error` chunk reaches onError only, this keeps it in the message.
  'run.failed',
]);

/**
 * The `data-switchboard-<type>` chunk that carries `event` whole (dots become
 * dashes). `id` defaults to the event's own; pass a stable one where a later
 * event replaces the part (a plan's `planId`, an approval's `approvalId`).
 */
export function dataPart(event: AnyEvent, id = `${event.sessionId}:${event.seq}`): UIMessageChunk {
  const transient = !PERSISTENT_DATA.has(event.type);
  return {
    type: `${UI_DATA_PREFIX}${event.type.replace(/\./g, '-')}`,
    id,
    data: event,
    ...(transient ? { transient: true } : {}),
  };
}
