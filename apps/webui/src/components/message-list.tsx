import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { SessionView } from '@switchboard/events/client';
import { TimelineItem } from './timeline-item.js';

/** How close to the bottom (px) still counts as "following" the stream. */
const FOLLOW_SLACK_PX = 80;

/**
 * The timeline, virtualised: only the items in and near the viewport are in
 * the DOM (measured as they render), so a 2,000-message session scrolls like
 * a short one. Follows the stream while the reader is at the bottom; a reader
 * who scrolled up stays where they are and gets a "jump to latest" button.
 */
export function MessageList(props: { view: SessionView; sessionId: string }) {
  const { view, sessionId } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const count = view.items.size;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => 120,
    overscan: 6,
    initialRect: { width: 800, height: 800 },
  });

  const toBottom = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    if (count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
    element.scrollTop = element.scrollHeight;
  }, [count, virtualizer]);

  // A new session starts at its latest message.
  useEffect(() => {
    following.current = true;
    setShowJump(false);
  }, [sessionId]);

  const totalSize = virtualizer.getTotalSize();
  useLayoutEffect(() => {
    if (following.current) toBottom();
  }, [view.items, totalSize, toBottom]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
    following.current = distance <= FOLLOW_SLACK_PX;
    setShowJump(!following.current);
  };

  return (
    <div className="timeline-wrap">
      <div
        ref={scroller}
        className="timeline"
        onScroll={onScroll}
        data-testid="timeline"
        data-count={count}
        tabIndex={0}
        aria-label="Conversation"
        role="log"
        aria-live="off"
      >
        <div className="timeline__inner" style={{ height: totalSize }}>
          {virtualizer.getVirtualItems().map((row) => {
            const item = view.items.get(row.index);
            if (item === undefined) return null;
            return (
              <div
                key={row.key}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className="timeline__row"
                style={{ transform: `translateY(${row.start}px)` }}
              >
                <TimelineItem
                  item={item}
                  approvals={view.approvals}
                  clarifications={view.clarifications}
                />
              </div>
            );
          })}
        </div>
      </div>
      {showJump ? (
        <button
          type="button"
          className="btn jump-latest"
          onClick={() => {
            following.current = true;
            setShowJump(false);
            toBottom();
          }}
        >
          ↓ Latest
        </button>
      ) : null}
    </div>
  );
}
