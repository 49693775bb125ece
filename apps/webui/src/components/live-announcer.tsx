import { useEffect, useRef, useState } from 'react';
import type { SessionView } from '@switchboard/events/client';

/** Longest announcement: a screen reader should not read a whole essay unasked. */
const MAX_CHARS = 400;

/**
 * The ARIA live region of the chat: it says when the agent starts, and reads
 * each answer once it is complete (not every streamed token), approvals and
 * questions that need the user, and how a run ended.
 */
export function LiveAnnouncer({ view }: { view: SessionView }) {
  const [message, setMessage] = useState('');
  const said = useRef(new Set<string>());
  // Items before this position are history (the session was opened mid-way):
  // they are never read out. A position, not a set of their ids, so a
  // 2,000-message backlog costs nothing per render while it streams in.
  // Per session (a cached session opened again is history up to where it was),
  // and up to the render that caught up (the backlog's tail arrives with it).
  const history = useRef<{ sessionId?: string | undefined; end: number; caughtUp: boolean }>({
    end: 0,
    caughtUp: false,
  });
  const run = view.run;
  const last = view.items.last();
  useEffect(() => {
    const say = (key: string, text: string) => {
      if (said.current.has(key)) return;
      said.current.add(key);
      setMessage(text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text);
    };
    // Only what happens from now on: a session opened mid-history is not read out.
    const seen = history.current;
    if (!view.caughtUp || !seen.caughtUp || seen.sessionId !== view.sessionId) {
      history.current = {
        sessionId: view.sessionId,
        end: view.items.size,
        caughtUp: view.caughtUp,
      };
      if (!view.caughtUp) return;
    }
    const lastIsNew = view.items.size > history.current.end;
    if (
      lastIsNew &&
      last?.kind === 'message' &&
      last.role === 'assistant' &&
      last.status !== 'streaming'
    )
      say(`message:${last.id}`, `Answer: ${last.text}`);
    for (const approval of view.approvals)
      say(
        `approval:${approval.approvalId}`,
        `${approval.toolName ?? 'A tool'} needs your approval.`,
      );
    for (const question of view.clarifications)
      say(`clarify:${question.clarifyId}`, `Question: ${question.question}`);
    if (run?.status === 'failed')
      say(`run:${run.runId}:failed`, `Failed: ${run.error?.message ?? ''}`);
    else if (run?.status === 'running') say(`run:${run.runId}:started`, 'The agent is working.');
  }, [view, last, run]);
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true" role="status">
      {message}
    </div>
  );
}
