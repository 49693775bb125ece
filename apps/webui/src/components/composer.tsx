import { forwardRef, useId, useImperativeHandle, useRef, useState } from 'react';
import { ClipIcon, CloseIcon, StopIcon } from './icons.js';
import type { PendingAttachment } from '../state/use-attachments.js';

/** What the composer can do now. */
export type ComposerMode = 'send' | 'steer' | 'blocked';

export interface ComposerHandle {
  focus(): void;
}

/**
 * The message box: Enter sends (or steers while a run is active),
 * Shift+Enter adds a line; the stop button cancels. Attachments, when the
 * server takes them, are picked, dropped or pasted and shown as previews.
 */
export const Composer = forwardRef<
  ComposerHandle,
  {
    mode: ComposerMode;
    blockedReason?: string | undefined;
    running: boolean;
    onSend: (text: string) => Promise<boolean>;
    onCancel: () => void;
    attachments?:
      | {
          items: readonly PendingAttachment[];
          add: (files: readonly File[]) => void;
          remove: (localId: string) => void;
        }
      | undefined;
  }
>(function Composer(props, ref) {
  const { mode, running, attachments } = props;
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const inputId = useId();
  useImperativeHandle(ref, () => ({ focus: () => area.current?.focus() }), []);
  const uploading = attachments?.items.some((item) => item.state === 'uploading') ?? false;
  const canSend =
    mode !== 'blocked' &&
    !sending &&
    !uploading &&
    (text.trim() !== '' || (mode === 'send' && (attachments?.items.length ?? 0) > 0));

  const submit = async () => {
    if (!canSend) return;
    setSending(true);
    try {
      if (await props.onSend(text)) setText('');
    } finally {
      setSending(false);
      area.current?.focus();
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {attachments && attachments.items.length > 0 ? (
        <ul className="composer__attachments" aria-label="Attachments to send">
          {attachments.items.map((item) => (
            <li key={item.localId} className={`chip chip--${item.state}`}>
              {item.previewUrl ? (
                <img src={item.previewUrl} alt="" className="chip__preview" />
              ) : (
                <ClipIcon />
              )}
              <span className="chip__name">{item.file.name}</span>
              {item.state === 'uploading' ? <span className="chip__state">uploading…</span> : null}
              {item.state === 'failed' ? (
                <span className="chip__state chip__state--error">{item.error}</span>
              ) : null}
              <button
                type="button"
                className="btn btn--ghost btn--small"
                aria-label={`Remove ${item.file.name}`}
                onClick={() => attachments.remove(item.localId)}
              >
                <CloseIcon />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="composer__row">
        {attachments ? (
          <>
            <input
              ref={fileInput}
              type="file"
              multiple
              hidden
              aria-hidden="true"
              tabIndex={-1}
              onChange={(event) => {
                attachments.add(Array.from(event.target.files ?? []));
                event.target.value = '';
              }}
            />
            <button
              type="button"
              className="btn btn--ghost composer__attach"
              aria-label="Attach files"
              title="Attach files (or drop them, or paste an image)"
              onClick={() => fileInput.current?.click()}
            >
              <ClipIcon />
            </button>
          </>
        ) : null}
        <label htmlFor={inputId} className="visually-hidden">
          {mode === 'steer' ? 'Steer the agent' : 'Message'}
        </label>
        <textarea
          id={inputId}
          ref={area}
          className="composer__input"
          rows={1}
          value={text}
          placeholder={
            mode === 'blocked'
              ? 'Waiting for your answer…'
              : mode === 'steer'
                ? 'Steer the agent while it works…'
                : 'Message Switchboard…'
          }
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              void submit();
            }
          }}
          onPaste={(event) => {
            if (!attachments) return;
            const files = Array.from(event.clipboardData.files);
            if (files.length > 0) {
              event.preventDefault();
              attachments.add(files);
            }
          }}
        />
        {running ? (
          <button
            type="button"
            className="btn btn--danger-outline composer__stop"
            onClick={props.onCancel}
            title="Stop (Esc)"
          >
            <StopIcon /> Stop
          </button>
        ) : null}
        <button type="submit" className="btn btn--primary composer__send" disabled={!canSend}>
          {mode === 'steer' ? 'Steer' : 'Send'}
        </button>
      </div>
      {mode === 'blocked' && props.blockedReason ? (
        <p className="composer__note">{props.blockedReason}</p>
      ) : null}
    </form>
  );
});
