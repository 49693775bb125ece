import { describe, expect, it } from 'vitest';
import { createAgent } from '../agent/agent.js';
import { loadConfig } from '../config/load-config.js';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { defineTool } from '../tools/define-tool.js';
import { mcpToolSource } from '../tools/mcp-tool-source.js';
import { AgentCoreError } from './agent-core-error.js';

// Option errors are AgentCoreErrors like every other error of the package, so a
// caller's `instanceof AgentCoreError` branch (and its `hint`) covers them too.
describe('CORE_INVALID_OPTIONS is an AgentCoreError', () => {
  const invalid: Array<[string, () => unknown]> = [
    [
      'createAgent',
      () => createAgent({ model: 'openai:gpt-4o-mini', name: 42, maxSteps: 'many' } as never),
    ],
    ['defineTool', () => defineTool({ name: 'bad name!' } as never)],
    ['SqliteSessionStore', () => new SqliteSessionStore({ path: 42 } as never)],
    ['mcpToolSource', () => mcpToolSource({} as never)],
  ];

  it.each(invalid)('%s', (_name, make) => {
    let thrown: unknown;
    try {
      make();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AgentCoreError);
    expect(thrown).toMatchObject({ code: 'CORE_INVALID_OPTIONS', name: 'AgentCoreError' });
  });

  it('loadConfig', async () => {
    const error = await loadConfig({ flags: { modle: 'x' } as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentCoreError);
    expect(error).toMatchObject({ code: 'CORE_INVALID_OPTIONS' });
  });
});
