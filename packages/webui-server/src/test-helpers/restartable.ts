import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createAgent,
  SqliteSessionStore,
  type Agent,
  type AgentOptions,
} from '@switchboard/agent-core';
import { EventBus, MemoryEventLog } from '@switchboard/events';
import { startModelServer } from '@switchboard/testkit';
import { createServer, type WebuiServer } from '../server/create-server.js';

type Script = Parameters<typeof startModelServer>[0]['script'];

/**
 * A model server, a SQLite session file and an event log that outlive
 * "processes": `boot(n)` starts the n-th agent and server on them. Each boot
 * opens its own store on the file with a clock a minute further on, so the
 * previous process's writer lease has lapsed (as when a process restarts).
 */
export async function startRestartable(script: Script, agentOptions: Partial<AgentOptions> = {}) {
  const model = await startModelServer({ script });
  const dir = mkdtempSync(path.join(tmpdir(), 'webui-restart-'));
  const file = path.join(dir, 'sessions.db');
  const log = new MemoryEventLog();
  const running: Array<{ agent: Agent; server: WebuiServer }> = [];
  const stop = async (booted: { agent: Agent; server: WebuiServer }) => {
    await booted.server.close();
    await booted.agent.close();
    await booted.agent.bus.close();
  };
  return {
    model,
    log,
    async boot(generation: number) {
      const store = new SqliteSessionStore({
        path: file,
        now: () => Date.now() + generation * 60_000,
      });
      const agent = createAgent({
        model: 'openai-compatible:test-model',
        env: { SWITCHBOARD_BASE_URL: model.baseUrl },
        retry: { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 50 },
        // No session-title call after the first exchange: tests count model calls and events.
        titles: { enabled: false },
        ...agentOptions,
        store,
        bus: new EventBus({ log }),
      });
      const booted = { agent, server: await createServer({ agent, logger: false }) };
      running.push(booted);
      return { ...booted, stop: () => stop(running.splice(running.indexOf(booted), 1)[0]!) };
    },
    async [Symbol.asyncDispose]() {
      for (const booted of running.splice(0)) await stop(booted);
      await model.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
