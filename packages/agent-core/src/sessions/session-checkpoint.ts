import type { SessionCheckpoint, SessionSnapshot } from './session-snapshot.js';
import { countMessages, toSessionListing } from './session-listing.js';

/**
 * Serializes a checkpoint of `snapshot`: its header, and its transcript
 * entries from `from` on (all of them with `from: 0`), with what a session
 * list shows (`model`: the `provider:model` the session talks to). With
 * `messageCount` given, the cost is the header plus the new entries,
 * whatever the transcript's length.
 */
export function toCheckpoint(
  snapshot: SessionSnapshot,
  {
    baseRevision,
    owner,
    from,
    model,
    messageCount,
  }: {
    baseRevision: number;
    owner: string;
    from: number;
    model?: string | undefined;
    /**
     * The transcript's message count for the list (see `countMessages`), when
     * the caller keeps it: the session writer does, so a checkpoint does not
     * walk the whole transcript. Counted from the transcript when omitted.
     */
    messageCount?: number | undefined;
  },
): SessionCheckpoint {
  const { transcript, revision: _revision, ...header } = snapshot;
  const entries: string[] = [];
  for (let index = from; index < transcript.length; index++)
    entries.push(JSON.stringify(transcript[index]));
  return {
    sessionId: snapshot.sessionId,
    agentName: snapshot.agentName,
    createdAt: snapshot.createdAt,
    updatedAt: snapshot.updatedAt,
    baseRevision,
    owner,
    header: JSON.stringify(header),
    from,
    entries,
    listing: toSessionListing(snapshot, model, messageCount ?? countMessages(transcript)),
  };
}
