import { memo } from 'react';
import { AuthorizedImage } from './authorized-image.js';
import { ClipIcon } from './icons.js';
import { attachmentIdOf, type MessageItem } from '@switchboard/events/client';
import { Markdown } from '../markdown/markdown.js';
import { CopyButton } from './copy-button.js';
import { StatusBadge } from './status-badge.js';

const ENDED_EARLY: Record<string, string> = {
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  failed: 'Failed',
};

/** A user, assistant or system message; cut-off answers are kept and marked. */
export const MessageView = memo(function MessageView({ message }: { message: MessageItem }) {
  const streaming = message.status === 'streaming';
  const endedEarly = ENDED_EARLY[message.status];
  if (message.role === 'user') {
    return (
      <div className="msg msg--user" data-message-id={message.id}>
        <div className="msg__bubble">
          <p className="msg__plain">{message.text}</p>
          <Attachments parts={message.parts} />
          {message.source === 'steer' ? <span className="msg__tag">steer</span> : null}
        </div>
      </div>
    );
  }
  return (
    <div
      className={`msg msg--${message.role}${endedEarly ? ' msg--ended-early' : ''}${streaming ? ' msg--streaming' : ''}`}
      data-message-id={message.id}
      data-status={message.status}
      aria-busy={streaming}
    >
      <div className="msg__body">
        {message.text === '' && streaming ? (
          <span className="typing" aria-label="Writing">
            <span />
            <span />
            <span />
          </span>
        ) : (
          <Markdown text={message.text} streaming={streaming} />
        )}
      </div>
      <div className="msg__footer">
        {endedEarly ? <StatusBadge status={message.status} label={endedEarly} /> : null}
        {!streaming && message.text !== '' ? <CopyButton text={message.text} label="Copy" /> : null}
      </div>
    </div>
  );
});

/** Image and file parts of a user message (by URL; nothing inlined from the model). */
function Attachments({ parts }: { parts: MessageItem['parts'] }) {
  const media = (parts ?? []).filter((part) => part.type !== 'text');
  if (media.length === 0) return null;
  return (
    <ul className="msg__attachments" aria-label="Attachments">
      {media.map((part, index) => {
        const url = mediaUrl(part.url);
        const name =
          (typeof part.filename === 'string' && part.filename) ||
          (typeof part.name === 'string' && part.name) ||
          (typeof part.mediaType === 'string' && part.mediaType) ||
          part.type;
        return (
          <li key={index} className="attachment">
            {part.type === 'image' && url ? (
              <AuthorizedImage src={url} alt={name} className="attachment__image" />
            ) : (
              <span className="attachment__file">
                <ClipIcon /> {name}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * Where the app loads a part's file from: an `attachment:<id>` reference is
 * served by this server (`/api/attachments/<id>`); otherwise only its own API's
 * files and local previews, never third-party hosts.
 */
export function mediaUrl(url: unknown): string | undefined {
  const id = attachmentIdOf(url);
  if (id !== undefined) return `/api/attachments/${encodeURIComponent(id)}`;
  if (typeof url !== 'string') return undefined;
  const safe = url.startsWith('/api/') || url.startsWith('blob:') || url.startsWith('data:image/');
  return safe ? url : undefined;
}
