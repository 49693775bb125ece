import { useCallback, useEffect, useState } from 'react';
import { api, onUnauthorized, probeAttachments, type ApiError } from './api/api-client.js';
import type { ServerConfig } from './api/api-types.js';
import { readToken, writeToken } from './api/token-store.js';
import { ChatScreen } from './chat-screen.js';
import { LoginDialog } from './components/login-dialog.js';
import { NoModel } from './components/no-model.js';

type Boot =
  | { state: 'loading' }
  | { state: 'ready'; config: ServerConfig; attachments: boolean }
  | { state: 'no-model'; message?: string; hint?: string }
  | { state: 'unreachable'; error: ApiError };

/**
 * The app: asks the server what runs (`/api/config`), asks for a token when
 * the API answers 401, explains a missing model, and otherwise shows the chat.
 */
export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [login, setLogin] = useState<'closed' | 'open' | 'rejected'>('closed');
  const [generation, setGeneration] = useState(0);

  useEffect(
    () =>
      onUnauthorized(() =>
        setLogin((current) => (current === 'closed' && readToken() ? 'rejected' : 'open')),
      ),
    [],
  );

  useEffect(() => {
    const controller = new AbortController();
    void (async () => {
      try {
        const config = await api.config(controller.signal);
        if (config.model == null) {
          // The server's own words on what to set (503 WEBUI_NO_MODEL with its hint).
          const reason = await api.listSessions({ limit: 1 }, controller.signal).then(
            () => undefined,
            (error: ApiError) => error,
          );
          setBoot({
            state: 'no-model',
            ...(reason?.message ? { message: reason.message } : {}),
            ...(reason?.hint ? { hint: reason.hint } : {}),
          });
          return;
        }
        const attachments = await probeAttachments(config);
        setBoot({ state: 'ready', config, attachments });
      } catch (error) {
        if (controller.signal.aborted) return;
        const failure = error as ApiError;
        if (failure.status === 401) return; // the login dialog takes over
        setBoot({ state: 'unreachable', error: failure });
      }
    })();
    return () => controller.abort();
  }, [generation]);

  const signIn = useCallback((token: string) => {
    writeToken(token);
    setLogin('closed');
    setGeneration((value) => value + 1);
  }, []);

  return (
    <>
      {boot.state === 'ready' ? (
        <ChatScreen key={generation} config={boot.config} attachmentsEnabled={boot.attachments} />
      ) : boot.state === 'no-model' ? (
        <NoModel message={boot.message} hint={boot.hint} />
      ) : boot.state === 'unreachable' ? (
        <main className="empty-state">
          <h1>Switchboard is not reachable</h1>
          <p>
            <code>{boot.error.code}</code> {boot.error.message}
          </p>
          {boot.error.hint ? <p className="hint">{boot.error.hint}</p> : null}
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => setGeneration((value) => value + 1)}
          >
            Try again
          </button>
        </main>
      ) : (
        <main className="empty-state" aria-busy="true">
          <p>{login === 'closed' ? 'Connecting to Switchboard…' : 'Switchboard needs a token.'}</p>
        </main>
      )}
      <LoginDialog open={login !== 'closed'} rejected={login === 'rejected'} onSubmit={signIn} />
    </>
  );
}
