import { memo, useId, useState } from 'react';
import type { ClarifyItem, PendingClarify } from '@switchboard/events/client';
import { useChatActions } from './chat-actions.js';
import { Countdown } from './countdown.js';

/** A question of the agent: its choices, free text, a countdown; the answer once given. */
export const ClarifyCard = memo(function ClarifyCard(props: {
  item: ClarifyItem;
  pending?: PendingClarify | undefined;
}) {
  const { item, pending } = props;
  const actions = useChatActions();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const inputId = useId();
  const send = async (answer: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await actions.answer(item.id, answer);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };
  const open = item.status === 'pending' && pending !== undefined;
  return (
    <div
      className={`clarify clarify--${item.status}`}
      role="group"
      aria-label="Question from the agent"
      data-clarify-id={item.id}
    >
      <p className="clarify__question">
        {item.question}
        {open && pending.deadline !== undefined ? <Countdown deadline={pending.deadline} /> : null}
      </p>
      {item.status === 'answered' ? (
        <p className="clarify__answer">
          {item.source === 'timeout'
            ? 'No answer in time; the agent went on with its fallback.'
            : item.source === 'cancelled'
              ? 'The question was withdrawn.'
              : `You answered: ${item.answer ?? ''}`}
        </p>
      ) : open ? (
        <>
          {item.choices && item.choices.length > 0 ? (
            <div className="clarify__choices">
              {item.choices.map((choice) => (
                <button
                  key={choice}
                  type="button"
                  className="btn"
                  disabled={busy}
                  onClick={() => void send(choice)}
                >
                  {choice}
                </button>
              ))}
            </div>
          ) : null}
          {pending.allowFreeText !== false ? (
            <form
              className="clarify__form"
              onSubmit={(event) => {
                event.preventDefault();
                if (text.trim()) void send(text.trim());
              }}
            >
              <label htmlFor={inputId} className="visually-hidden">
                Your answer
              </label>
              <input
                id={inputId}
                value={text}
                onChange={(event) => setText(event.target.value)}
                placeholder="Type an answer…"
              />
              <button type="submit" className="btn btn--primary" disabled={busy || !text.trim()}>
                Answer
              </button>
            </form>
          ) : null}
        </>
      ) : (
        <p className="clarify__answer">Waiting for the agent…</p>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
});
