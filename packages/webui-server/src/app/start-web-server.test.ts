import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemorySessionStore } from '@switchboard/agent-core';
import { loadConfig } from '@switchboard/agent-core/config';
import { MemoryEventLog } from '@switchboard/events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatabaseStoresFactory } from './open-agent.js';
import { startWebServer } from './start-web-server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A configuration with a model and a database URL, its home in a fresh directory. */
async function databaseConfig() {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-start-web-'));
  dirs.push(dir);
  const config = await loadConfig({
    cwd: dir,
    homeDir: dir,
    env: {
      SWITCHBOARD_HOME: path.join(dir, 'home'),
      SWITCHBOARD_MODEL: 'openai-compatible:test-model',
      SWITCHBOARD_BASE_URL: 'http://127.0.0.1:9/v1',
      SWITCHBOARD_DATABASE_URL: 'postgres://switchboard@127.0.0.1:9/switchboard',
      PORT: '0',
    },
  });
  return { config, home: path.join(dir, 'home') };
}

const quiet = { write: () => true };

describe('startWebServer with stores.databaseUrl', () => {
  it('refuses to start without an injected databaseStores factory, creating nothing', async () => {
    const { config, home } = await databaseConfig();
    await expect(startWebServer({ config, destination: quiet })).rejects.toMatchObject({
      code: 'WEBUI_NO_DATABASE_SUPPORT',
    });
    // No SQLite fallback behind the user's back: nothing was written under the home.
    expect(() => readdirSync(home)).toThrow();
  });

  it('opens the injected stores with the URL and closes them on close', async () => {
    const { config } = await databaseConfig();
    const close = vi.fn(async () => {});
    const databaseStores = vi.fn<DatabaseStoresFactory>(() =>
      Promise.resolve({
        eventLog: new MemoryEventLog(),
        sessionStore: new MemorySessionStore(),
        close,
      }),
    );
    const web = await startWebServer({ config, destination: quiet, databaseStores });
    try {
      expect(databaseStores).toHaveBeenCalledTimes(1);
      expect(databaseStores.mock.calls[0]?.[0]).toMatchObject({
        connectionString: 'postgres://switchboard@127.0.0.1:9/switchboard',
      });
      const health = await fetch(`${web.url}/api/health`);
      expect(health.status).toBe(200);
    } finally {
      await web.close();
    }
    expect(close).toHaveBeenCalledTimes(1);
  });
});
