import { useEffect, useState } from 'react';
import { CONTRACT_VERSION } from '@switchboard/events';

/** What the server says is running (`GET /api/health` and `GET /api/config`). */
interface ServerStatus {
  version: string;
  model: string | null;
}

type StatusState = ServerStatus | 'loading' | 'unreachable';

/** Placeholder page until the chat UI lands (see README.md): it says what is running. */
export function App() {
  const [status, setStatus] = useState<StatusState>('loading');
  useEffect(() => {
    const controller = new AbortController();
    readStatus(controller.signal).then(setStatus, () => {
      if (!controller.signal.aborted) setStatus('unreachable');
    });
    return () => controller.abort();
  }, []);
  return (
    <main>
      <h1>Switchboard</h1>
      <p>The chat UI is not built yet. It will speak event contract v{CONTRACT_VERSION}.</p>
      <StatusLines status={status} />
      <p>
        API: <a href="/api/health">/api/health</a> · <a href="/api/config">/api/config</a>
      </p>
    </main>
  );
}

function StatusLines({ status }: { status: StatusState }) {
  if (status === 'loading') return <p>Asking the server what is running…</p>;
  if (status === 'unreachable')
    return <p>The API did not answer (it may require a token: SWITCHBOARD_TOKEN).</p>;
  return (
    <p>
      Server {status.version},{' '}
      {status.model == null ? (
        <>
          <strong>no model configured</strong>: set SWITCHBOARD_MODEL and restart.
        </>
      ) : (
        <>
          model <code>{status.model}</code>.
        </>
      )}
    </p>
  );
}

async function readStatus(signal: AbortSignal): Promise<ServerStatus> {
  const [health, config] = await Promise.all([
    getJson('/api/health', signal),
    getJson('/api/config', signal),
  ]);
  const version = field(health, 'version');
  const model = field(config, 'model');
  if (typeof version !== 'string' || (model != null && typeof model !== 'string'))
    throw new Error('unexpected status response');
  return { version, model: typeof model === 'string' ? model : null };
}

async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value == null) return undefined;
  const found: unknown = Reflect.get(value, key);
  return found;
}
