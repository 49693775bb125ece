import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mcpToolSource } from '../tools/mcp-tool-source.js';
import { createAgent } from './agent.js';

const serverScript = fileURLToPath(
  new URL('../tools/test-helpers/mcp-test-server.mjs', import.meta.url),
);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('env options accept process.env', () => {
  it('createAgent({ env: process.env }) resolves model strings from it', () => {
    vi.stubEnv('SWITCHBOARD_BASE_URL', 'http://127.0.0.1:9/v1');
    const agent = createAgent({ model: 'openai-compatible:local', env: process.env });
    // Resolving needs a base URL: without the variable read from process.env this throws.
    expect(agent.models).toEqual(['openai-compatible:local']);
  });

  it('createAgent refuses an env whose values are not strings, in words', () => {
    expect(() =>
      createAgent({ model: 'openai-compatible:local', env: { PORT: 8080 } as never }),
    ).toThrow(
      expect.objectContaining({
        code: 'CORE_INVALID_OPTIONS',
        message: expect.stringContaining('env: expected an environment such as process.env'),
      }),
    );
  });

  it('mcpToolSource({ transport: { env: process.env } }) starts the server', async () => {
    const source = mcpToolSource({
      name: 'calc',
      transport: {
        type: 'stdio',
        command: process.execPath,
        args: [serverScript],
        env: process.env,
        stderr: 'ignore',
      },
    });
    try {
      expect(Object.keys(await source.tools())).toContain('add');
    } finally {
      await source.close?.();
    }
  });
});
