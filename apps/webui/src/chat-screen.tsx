import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { MenuIcon } from './components/icons.js';
import { api, ApiError } from './api/api-client.js';
import type { ServerConfig } from './api/api-types.js';
import { Banners, toBanner, type BannerError } from './components/banners.js';
import { ChatActionsContext, type ChatActions } from './components/chat-actions.js';
import { Composer, type ComposerHandle, type ComposerMode } from './components/composer.js';
import { HelpDialog } from './components/help-dialog.js';
import { LiveAnnouncer } from './components/live-announcer.js';
import { MessageList } from './components/message-list.js';
import { RunStatusLine } from './components/run-status-line.js';
import { Sidebar, sessionLabel } from './components/sidebar.js';
import { UndoToasts } from './components/undo-toast.js';
import { UsageMeter } from './components/usage-meter.js';
import { randomId } from './lib/format.js';
import { SessionStreamStore, type ConnectionState } from './state/session-stream-store.js';
import { useAttachments } from './state/use-attachments.js';
import { usePendingDeletes } from './state/use-pending-deletes.js';
import { useShortcuts } from './state/use-shortcuts.js';
import { useSessions } from './state/use-sessions.js';
import { useUrlSession } from './state/use-url-session.js';
import { VoiceButton } from './voice/voice-button.js';

const CONNECTION_LABEL: Record<ConnectionState, string> = {
  idle: '',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Signed out',
  gone: 'Not found',
  failed: 'Disconnected',
};

/** The chat: sessions on the left, the active session's timeline, meter and composer. */
export function ChatScreen(props: { config: ServerConfig; attachmentsEnabled: boolean }) {
  const { config } = props;
  const store = useMemo(() => new SessionStreamStore(), []);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [activeId, navigate] = useUrlSession();
  const [errors, setErrors] = useState<BannerError[]>([]);
  const [help, setHelp] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const [model, setModel] = useState(config.model ?? '');
  const composer = useRef<ComposerHandle>(null);
  const search = useRef<HTMLInputElement>(null);
  const attachments = useAttachments(props.attachmentsEnabled);

  const report = useCallback((key: string, error: unknown) => {
    const banner = toBanner(key, error instanceof Error ? error : new Error(String(error)));
    if (error instanceof ApiError && error.status === 401) return; // the login dialog says it
    setErrors((current) => [...current.filter((entry) => entry.key !== key), banner]);
  }, []);
  const sessions = useSessions({ enabled: true, onError: (error) => report('sessions', error) });
  const deletes = usePendingDeletes({
    commit: (id, keepalive) => {
      sessions.remove(id);
      store.forget(id);
      api.deleteSession(id, { keepalive }).then(undefined, (error: unknown) => {
        report('delete', error);
        sessions.refresh(); // it may still be there: show it again
      });
    },
  });
  const listed = useMemo(
    () =>
      sessions.sessions.filter(
        (session) => !deletes.pending.some((entry) => entry.session.id === session.id),
      ),
    [sessions.sessions, deletes.pending],
  );

  useEffect(() => {
    store.open(activeId);
    setMenuOpen(false);
  }, [store, activeId]);
  useEffect(() => () => store.close(), [store]);

  const view = snapshot.sessionId === activeId ? snapshot.view : undefined;
  const run = view?.run;
  const running = run?.status === 'running';
  const awaiting =
    (view?.approvals.length ?? 0) > 0 ||
    (view?.clarifications.length ?? 0) > 0 ||
    (run?.status === 'finished' && run.stopReason === 'awaiting_input');

  // Titles arrive on the stream; the list catches up when a run ends.
  const title = view?.title;
  useEffect(() => {
    if (activeId && title) sessions.setTitle(activeId, title);
  }, [activeId, title, sessions.setTitle]);
  const runKey = run ? `${run.runId}:${run.status}` : '';
  const refreshList = sessions.refresh;
  const previousRunKey = useRef(runKey);
  useEffect(() => {
    if (previousRunKey.current !== runKey && run && run.status !== 'running') refreshList();
    previousRunKey.current = runKey;
  }, [runKey, run, refreshList]);

  const active = sessions.sessions.find((session) => session.id === activeId);
  // The picker shows the open session's model (a reload, a link, another session).
  const activeModel = active?.model;
  useEffect(() => {
    if (activeModel) setModel(activeModel);
  }, [activeId, activeModel]);
  useEffect(() => {
    document.title = active ? `${sessionLabel(active)} · Switchboard` : 'Switchboard';
  }, [active]);

  const newChat = useCallback(() => {
    navigate(undefined);
    attachments.clear();
    composer.current?.focus();
  }, [navigate, attachments]);

  const send = useCallback(
    async (text: string): Promise<boolean> => {
      try {
        if (running && activeId) {
          await api.steer(activeId, text.trim());
          return true;
        }
        let sessionId = activeId;
        if (sessionId === undefined) {
          const created = await api.createSession(model ? { model } : {});
          sessions.upsert(created);
          sessionId = created.id;
          navigate(sessionId);
        }
        const ids = attachments.readyIds;
        await api.startRun(sessionId, {
          input: text,
          messageId: randomId('msg'),
          ...(ids.length > 0 ? { attachments: ids } : {}),
        });
        attachments.clear();
        setErrors((current) => current.filter((entry) => entry.key !== 'send'));
        return true;
      } catch (error) {
        report('send', error);
        return false;
      }
    },
    [running, activeId, model, sessions, navigate, attachments, report],
  );

  const cancel = useCallback(() => {
    if (!activeId || !run || run.status !== 'running') return;
    api.cancelRun(activeId, run.runId).catch((error: unknown) => report('cancel', error));
  }, [activeId, run, report]);

  const actions = useMemo<ChatActions>(
    () => ({
      approve: async (approvalId, decision) => {
        if (!activeId) return;
        await api.respond(activeId, approvalId, decision);
      },
      answer: async (clarifyId, answer) => {
        if (!activeId) return;
        await api.respond(activeId, clarifyId, { answer });
      },
    }),
    [activeId],
  );

  const selectRelative = useCallback(
    (step: number) => {
      const list = listed;
      if (list.length === 0) return;
      const index = list.findIndex((session) => session.id === activeId);
      const next = list[Math.min(list.length - 1, Math.max(0, index + step))];
      if (next) navigate(next.id);
    },
    [listed, activeId, navigate],
  );

  useShortcuts({
    cancel: running ? cancel : undefined,
    focusComposer: () => composer.current?.focus(),
    focusSearch: () => {
      setMenuOpen(true);
      search.current?.focus();
    },
    newChat,
    help: () => setHelp(true),
    previous: () => selectRelative(-1),
    next: () => selectRelative(1),
  });

  const changeModel = async (next: string) => {
    setModel(next);
    if (!activeId) return;
    try {
      sessions.upsert(await api.updateSession(activeId, { model: next }));
    } catch (error) {
      report('model', error);
    }
  };

  const mode: ComposerMode = running ? 'steer' : awaiting ? 'blocked' : 'send';
  const connection = activeId ? snapshot.connection : 'idle';
  const streamError = activeId && snapshot.sessionId === activeId ? snapshot.error : undefined;
  const runFailed = run?.status === 'failed' && run.error ? run.error : undefined;
  const banners: BannerError[] = [
    ...errors,
    ...(streamError && connection !== 'unauthorized' ? [toBanner('stream', streamError)] : []),
    ...(runFailed
      ? [
          {
            key: `run:${run?.runId ?? ''}`,
            code: runFailed.code ?? 'RUN_FAILED',
            message: runFailed.message,
            hint: runFailed.hint,
          },
        ]
      : []),
  ];
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const visibleBanners = banners.filter((banner) => !dismissed.has(banner.key));

  return (
    <ChatActionsContext.Provider value={actions}>
      <div
        className={`layout${menuOpen ? ' layout--menu' : ''}`}
        onDragOver={(event) => {
          if (props.attachmentsEnabled && event.dataTransfer.types.includes('Files'))
            event.preventDefault();
        }}
        onDrop={(event) => {
          if (!props.attachmentsEnabled) return;
          event.preventDefault();
          attachments.add(Array.from(event.dataTransfer.files));
        }}
      >
        <a href="#composer" className="skip-link">
          Skip to the message box
        </a>
        <header className="topbar">
          <button
            type="button"
            className="btn btn--ghost topbar__menu"
            aria-label="Sessions"
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <MenuIcon />
          </button>
          <h1 className="topbar__title">{active ? sessionLabel(active) : 'New chat'}</h1>
          {config.models.length > 1 ? (
            <label className="topbar__model">
              <span className="visually-hidden">Model</span>
              <select value={model} onChange={(event) => void changeModel(event.target.value)}>
                {config.models.map((entry) => (
                  <option key={entry} value={entry}>
                    {entry}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <span className="topbar__model topbar__model--single" title="Model">
              {active?.model ?? config.model}
            </span>
          )}
          {connection !== 'idle' ? (
            <span
              className={`connection connection--${connection}`}
              data-connection={connection}
              role="status"
            >
              {CONNECTION_LABEL[connection]}
            </span>
          ) : null}
          <button
            type="button"
            className="btn btn--ghost"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={() => setHelp(true)}
          >
            ?
          </button>
        </header>
        <Sidebar
          ref={search}
          sessions={listed}
          activeId={activeId}
          query={sessions.query}
          onQuery={sessions.setQuery}
          hasMore={sessions.hasMore}
          loading={sessions.loading}
          onMore={sessions.loadMore}
          onSelect={(id) => navigate(id)}
          onNew={newChat}
          canCreate
          onRename={(id, next) => {
            api
              .updateSession(id, { title: next })
              .then(sessions.upsert, (error: unknown) => report('rename', error));
          }}
          onDelete={(session) => {
            deletes.schedule(session, session.id === activeId);
            if (session.id === activeId) navigate(undefined);
          }}
        />
        <main className="chat" data-last-seq={view?.lastSeq ?? 0} data-run-status={run?.status}>
          <Banners
            errors={visibleBanners}
            onDismiss={(key) => {
              setErrors((current) => current.filter((entry) => entry.key !== key));
              setDismissed((current) => new Set([...current, key]));
            }}
          />
          {activeId && view ? (
            <MessageList view={view} sessionId={activeId} />
          ) : (
            <div className="welcome">
              <h2>What can I help with?</h2>
              <p>
                Ask anything. Answers stream as they are written; tools ask before they act. Press{' '}
                <kbd>?</kbd> for shortcuts.
              </p>
            </div>
          )}
          {view ? <RunStatusLine view={view} connection={connection} /> : null}
          {view ? <LiveAnnouncer view={view} /> : null}
          <div className="chat__bottom" id="composer">
            {activeId && view ? <UsageMeter view={view} /> : null}
            {activeId && view && config.features.voice ? (
              <VoiceButton sessionId={activeId} agentState={view.voice?.agentState} />
            ) : null}
            <Composer
              ref={composer}
              mode={mode}
              blockedReason={
                awaiting ? 'Answer the approval or question above to continue.' : undefined
              }
              running={running}
              onSend={send}
              onCancel={cancel}
              attachments={props.attachmentsEnabled ? attachments : undefined}
            />
          </div>
        </main>
        <UndoToasts
          pending={deletes.pending}
          onUndo={(id) => {
            if (deletes.undo(id)?.wasActive) navigate(id);
          }}
          onDismiss={(id) => deletes.commit(id)}
        />
        <HelpDialog open={help} onClose={() => setHelp(false)} />
      </div>
    </ChatActionsContext.Provider>
  );
}
