import { describe, expect, it } from 'vitest';
import { storedSession, transcriptEntry } from '../conformance/session-fixtures.js';
import { collect } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { toCheckpoint } from './session-checkpoint.js';
import type { TranscriptEntry } from './session-snapshot.js';

/** An entry already stored: reading it (to count it again) throws. */
function storedEntry(id: string): TranscriptEntry {
  const entry = transcriptEntry(id, 'user');
  const untouchable = () => {
    throw new Error(`entry ${id} was read again`);
  };
  return Object.defineProperties({} as TranscriptEntry, {
    id: { value: entry.id, enumerable: true },
    message: { get: untouchable, enumerable: true },
    display: { get: untouchable, enumerable: true },
  });
}

describe('toCheckpoint', () => {
  it('with the message count given, reads only the new entries, however long the transcript', () => {
    const old = Array.from({ length: 500 }, (_, index) => storedEntry(`old${index}`));
    const snapshot = storedSession('s', 10, {
      transcript: [...old, transcriptEntry('new', 'assistant')],
    });
    const checkpoint = toCheckpoint(snapshot, {
      baseRevision: 1,
      owner: 'me',
      from: old.length,
      messageCount: 501,
    });
    expect(checkpoint.entries).toHaveLength(1);
    expect(checkpoint.listing.messageCount).toBe(501);
  });

  it('counts the messages itself when the count is not given', () => {
    const snapshot = storedSession('s', 10, {
      transcript: [
        transcriptEntry('u', 'user'),
        transcriptEntry('a', 'assistant'),
        transcriptEntry('t', 'tool'),
        transcriptEntry('sum', 'assistant', 'summary'),
      ],
    });
    const checkpoint = toCheckpoint(snapshot, { baseRevision: 0, owner: 'me', from: 0 });
    expect(checkpoint.listing.messageCount).toBe(2);
  });
});

describe('the session writer keeps the message count across checkpoints', () => {
  it('lists the right count after several runs (each checkpoint counted only its new entries)', async () => {
    await using t = await startTestAgent([{ text: 'one' }, { text: 'two' }, { text: 'three' }]);
    const session = await t.agent.createSession();
    for (const input of ['a', 'b', 'c']) {
      await collect(session.run(input));
      await session.idle();
    }
    const { sessions } = await t.agent.listSessions();
    expect(sessions[0]).toMatchObject({ sessionId: session.id, messageCount: 6 });
  });
});
