import { useEffect, useRef, useState } from 'react';
import type { VoiceHandle } from './voice-client.js';
import type { VoiceLinkStatus } from './voice-link.js';

const STATE_LABEL: Record<string, string> = {
  initializing: 'Starting…',
  listening: 'Listening',
  thinking: 'Thinking',
  speaking: 'Speaking',
  reconnecting: 'Reconnecting…',
};

/**
 * The voice mode toggle of a session and its live state. The voice client
 * (microphone, WebSocket, playback) is loaded only when the user turns it on,
 * so it costs the initial bundle nothing. The state shown is the session's
 * `voice.agent_state`, from the same event stream and view as the chat, or
 * `reconnecting` while a dropped connection is opened again.
 */
export function VoiceButton(props: { sessionId: string; agentState: string | undefined }) {
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [link, setLink] = useState<VoiceLinkStatus>('connecting');
  const handle = useRef<VoiceHandle | undefined>(undefined);

  useEffect(
    () => () => {
      handle.current?.stop();
      handle.current = undefined;
    },
    [props.sessionId],
  );

  const toggle = async () => {
    if (on) {
      handle.current?.stop();
      handle.current = undefined;
      setOn(false);
      return;
    }
    setError(undefined);
    setLink('connecting');
    setOn(true);
    try {
      const { startVoice } = await import('./voice-client.js');
      handle.current = await startVoice(props.sessionId, {
        onState: () => undefined,
        onStatus: setLink,
        onError: (message) => setError(message),
        onClosed: () => {
          handle.current = undefined;
          setOn(false);
        },
      });
    } catch (caught) {
      setOn(false);
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  // A dropped connection shows as such: the session's last state is stale until it is back.
  const state = link === 'reconnecting' ? 'reconnecting' : (props.agentState ?? 'initializing');
  const label = on ? (STATE_LABEL[state] ?? state) : '';
  return (
    <div className="voice">
      <button
        type="button"
        className="voice__button"
        aria-pressed={on}
        aria-label={on ? 'Stop voice mode' : 'Start voice mode'}
        title={on ? 'Stop voice mode' : 'Talk to the agent'}
        onClick={() => void toggle()}
      >
        <span aria-hidden="true">{on ? '■' : '🎤'}</span>
      </button>
      <span
        className="voice__state"
        role="status"
        aria-live="polite"
        data-voice-state={on ? state : 'off'}
        data-voice-link={on ? link : 'off'}
      >
        {label}
        {error ? <span className="voice__error"> {error}</span> : null}
      </span>
    </div>
  );
}
