import { memo } from 'react';
import type { PendingApproval, PendingClarify, ViewItem } from '@switchboard/events/client';
import { withoutHint } from '../lib/format.js';
import { ClarifyCard } from './clarify-card.js';
import { CompactionMarker, HandoffMarker } from './marker-row.js';
import { MessageView } from './message-view.js';
import { ReasoningView } from './reasoning-view.js';
import { ToolCard } from './tool-card.js';

/** One entry of the timeline, whatever its kind. */
export const TimelineItem = memo(function TimelineItem(props: {
  item: ViewItem;
  approvals: readonly PendingApproval[];
  clarifications: readonly PendingClarify[];
}) {
  const { item } = props;
  switch (item.kind) {
    case 'message':
      return <MessageView message={item} />;
    case 'reasoning':
      return <ReasoningView item={item} />;
    case 'tool_call':
      return (
        <ToolCard
          call={item}
          approval={props.approvals.find((approval) => approval.toolCallId === item.id)}
        />
      );
    case 'clarify':
      return (
        <ClarifyCard
          item={item}
          pending={props.clarifications.find((pending) => pending.clarifyId === item.id)}
        />
      );
    case 'steer':
      return (
        <div className="steer" data-steer-id={item.id}>
          <span className="steer__label">Steer</span> {item.text}
          <span className="steer__mode">
            {item.mode === 'tool_boundary'
              ? ' · applied at the next tool step'
              : item.mode === 'next_message'
                ? ' · queued as the next message'
                : ' · sent'}
          </span>
        </div>
      );
    case 'notice':
      return (
        <div className={`notice notice--${item.severity}`} role="note">
          {item.code ? <code>{item.code}</code> : null} {item.message}
        </div>
      );
    case 'error':
      return (
        <div className="notice notice--error run-error" role="note">
          <strong>{item.error.code ?? 'Error'}</strong>:{' '}
          {withoutHint(item.error.message, item.error.hint)}
          {item.error.hint ? <p className="hint">{item.error.hint}</p> : null}
        </div>
      );
    case 'compaction':
      return <CompactionMarker item={item} />;
    case 'handoff':
      return <HandoffMarker item={item} />;
    default:
      return null;
  }
});
