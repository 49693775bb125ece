import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { executeToolCall } from '@switchboard/agent-core/internal';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-helpers/cli-process.js';
import { createCliTools } from './cli-tools.js';

const context = { sessionId: 's', runId: 'r', turn: 1, stepIndex: 0, toolCallId: 'call_1' };

async function call(cwd: string, name: string, args: unknown) {
  const tools = createCliTools({ cwd, env: process.env });
  return executeToolCall({
    tool: tools[name],
    toolName: name,
    rawInput: JSON.stringify(args),
    availableTools: Object.keys(tools),
    context,
    signal: AbortSignal.timeout(60_000),
  });
}

describe('the CLI tools', () => {
  it('list and read files under the working directory', async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(path.join(cwd, 'src', 'a.txt'), 'alpha');
    writeFileSync(path.join(cwd, 'b.txt'), 'beta');
    expect(await call(cwd, 'list_files', {})).toMatchObject({
      status: 'completed',
      output: ['b.txt', 'src/'],
    });
    expect(await call(cwd, 'read_file', { path: 'src/a.txt' })).toMatchObject({ output: 'alpha' });
  });

  it('refuse paths outside the working directory', async () => {
    const cwd = tempDir();
    const outcome = await call(cwd, 'read_file', { path: '../../etc/passwd' });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toContain('is outside the working directory');
    expect((await call(cwd, 'list_files', { path: '/' })).status).toBe('failed');
  });

  it('run a command in the working directory, and only it needs approval', async () => {
    const cwd = tempDir();
    const outcome = await call(cwd, 'run_command', { command: 'pwd; echo oops >&2; exit 3' });
    expect(outcome.output).toEqual({ exitCode: 3, stdout: `${cwd}\n`, stderr: 'oops\n' });
    const tools = createCliTools({ cwd, env: {} });
    expect(Object.entries(tools).map(([name, tool]) => [name, tool.approval ?? 'never'])).toEqual([
      ['list_files', 'never'],
      ['read_file', 'never'],
      ['run_command', 'always'],
    ]);
  });
});
