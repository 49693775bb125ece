import path from 'node:path';
import { createAgent, SqliteSessionStore } from '@switchboard/agent-core';
import { EventBus, type SessionView } from '@switchboard/events';
import { SqliteEventLog } from '@switchboard/events/node';
import { startModelServer, type ModelServer } from '@switchboard/testkit';
import { createServer } from '@switchboard/webui-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../test-helpers/cli-process.js';
import { cliModelScript } from '../test-helpers/model-script.js';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ script: cliModelScript });
});
afterAll(() => server.close());

async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the CLI and the web server share one store', () => {
  it('a chat session is in the web API, continues there, and the CLI shows what the web added', async () => {
    const home = tempDir();
    const env = {
      SWITCHBOARD_HOME: home,
      SWITCHBOARD_MODEL: 'openai-compatible:test-model',
      SWITCHBOARD_BASE_URL: server.baseUrl,
    };
    const chat = await runCli(['chat', '--session', 'ses_shared'], {
      env,
      cwd: home,
      stdin: 'hello\n',
    });
    expect(chat.code).toBe(0);

    // The web server, composed over the same files (as apps/webui does from loadConfig).
    const store = new SqliteSessionStore({ path: path.join(home, 'sessions.db') });
    const log = new SqliteEventLog({ path: path.join(home, 'events.db') });
    const bus = new EventBus({ log });
    const agent = createAgent({
      name: 'switchboard',
      model: 'openai-compatible:test-model',
      env: { SWITCHBOARD_BASE_URL: server.baseUrl },
      store,
      bus,
    });
    const web = await createServer({ agent, port: 0, logger: false });
    try {
      const url = await web.listen();
      // The chat's session is in the web API's list (agent.listSessions over the shared store).
      const list = (await (await fetch(`${url}/api/sessions`)).json()) as {
        sessions: { id: string; title: string | null }[];
      };
      expect(list.sessions).toEqual([
        expect.objectContaining({ id: 'ses_shared', title: 'Hello there!' }),
      ]);
      // The web API reads the chat's session from the shared store (its view is reduceSession's).
      const opened = (await (await fetch(`${url}/api/sessions/ses_shared`)).json()) as {
        view: SessionView;
      };
      const texts = [...opened.view.items].flatMap((item) =>
        item.kind === 'message' ? [`${item.role}: ${item.text}`] : [],
      );
      expect(texts).toEqual(['user: hello', 'assistant: Hello there!']);
      const posted = await fetch(`${url}/api/sessions/ses_shared/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: 'hello from the web', messageId: 'web-1' }),
      });
      expect(posted.status).toBe(202);
      await until(async () => {
        const session = (await (await fetch(`${url}/api/sessions/ses_shared`)).json()) as {
          view: SessionView;
        };
        return session.view.run?.status === 'finished' && session.view.runCount === 2
          ? true
          : undefined;
      });

      // The web server holds the session's lease: the CLI cannot write it meanwhile.
      const locked = await runCli(['run', 'hello again', '--session', 'ses_shared'], {
        env,
        cwd: home,
      });
      expect(locked.code).toBe(1);
      expect(locked.stderr).toMatch(/^switchboard: CORE_SESSION_LOCKED: /);
    } finally {
      await web.close();
      await agent.close();
      await bus.close();
      log.close();
      await store.close();
    }

    const show = await runCli(['sessions', 'show', 'ses_shared'], { env, cwd: home });
    expect(show.stdout).toContain('› hello\n');
    expect(show.stdout).toContain('› hello from the web\n');
    expect(show.stdout.split('\n').filter((line) => line === 'Hello there!')).toHaveLength(2);
  });
});
