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
  const run = view.run;
  const last = view.items.last();
  useEffect(() => {
    const say = (key: string, text: string) => {
      if (said.current.has(key)) return;
      said.current.add(key);
      setMessage(text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text);
    };
    // Only what happens from now on: a session opened mid-history is not read out.
    if (!view.caughtUp) {
      for (const item of view.items) if ('id' in item) said.current.add(`${item.kind}:${item.id}`);
      return;
    }
    if (last?.kind === 'message' && last.role === 'assistant' && last.status !== 'streaming')
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
