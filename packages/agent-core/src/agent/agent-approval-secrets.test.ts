import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScriptedModel } from '@switchboard/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import type { AgentTool } from '../tools/agent-tool.js';
import { createAgent } from './agent.js';
import { collect } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';

const SECRET = 'sk-live-approval-canary-0123456789';
const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-approval-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Redaction (`redact.toolInput`, on by default) is for what leaves the run:
 * events, the stored snapshot. The tool itself must run on the arguments the
 * model gave, also when it runs after an approval.
 */
describe('an approved call whose arguments hold a secret', () => {
  function deployTool() {
    const executed: unknown[] = [];
    const tool: AgentTool = {
      description: 'Deploy with a key',
      jsonSchema: { type: 'object', properties: { key: { type: 'string' } } },
      approval: 'always',
      execute: (input) => {
        executed.push(input);
        return 'deployed';
      },
    };
    return { tool, executed };
  }

  it('runs on the real arguments after the approval; events and the snapshot hold none', async () => {
    const { tool, executed } = deployTool();
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'deploy', args: { key: SECRET } }] }, { text: 'Done.' }],
      { tools: { deploy: tool }, redact: { secrets: [SECRET] } },
    );
    const session = await t.agent.createSession();
    const first = await collect(session.run('deploy'));
    expect(first.result.stopReason).toBe('awaiting_input');
    await session.respond(first.result.pending[0]!.requestId, { approved: true });
    const second = await collect(session.resume());
    expect(second.result.stopReason).toBe('completed');
    expect(executed).toEqual([{ key: SECRET }]);
    expect(JSON.stringify([...first.events, ...second.events])).not.toContain(SECRET);
    expect(JSON.stringify(session.snapshot())).not.toContain(SECRET);
  });

  it('resumed by another agent (a restart): the model is asked to call again, the tool never runs on [REDACTED]', async () => {
    const { tool, executed } = deployTool();
    // Two stores on one file: the second agent stands for the next process.
    const file = path.join(dir, 'sessions.db');
    const prompts: string[] = [];
    const model = createScriptedModel((call) => {
      prompts.push(JSON.stringify(call.options.prompt));
      return call.callIndex === 0
        ? { toolCalls: [{ id: 'c1', name: 'deploy', args: { key: SECRET } }] }
        : { text: 'I will ask for the key again.' };
    });
    const options = {
      name: 'deployer',
      model,
      tools: { deploy: tool },
      redact: { secrets: [SECRET] },
      titles: { enabled: false },
    };
    const first = createAgent({ ...options, store: new SqliteSessionStore({ path: file }) });
    const session = await first.createSession();
    const paused = await collect(session.run('deploy'));
    expect(paused.result.stopReason).toBe('awaiting_input');
    expect(await session.release()).toBe(true); // the lease, as a process that went away

    const store = new SqliteSessionStore({ path: file });
    const second = createAgent({ ...options, store });
    const again = await second.loadSession(session.id);
    await again.respond(paused.result.pending[0]!.requestId, { approved: true });
    const resumed = await collect(again.resume());
    expect(resumed.result.stopReason).toBe('completed');
    expect(executed).toEqual([]);
    expect(prompts.at(-1)).toContain('call the tool again');
    expect(prompts.join('')).not.toContain(SECRET);
    expect(JSON.stringify((await store.load(session.id))!)).not.toContain(SECRET);
    await second.close();
    await first.close();
  });
});
