import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { afterAll, describe, expect, it } from 'vitest';

const bin = new URL('../../bin/switchboard-testkit.js', import.meta.url).pathname;
const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-testkit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('switchboard-testkit serve-model (the published bin, in its own process)', () => {
  it('serves a script file to a real provider and stops on SIGTERM', async () => {
    const script = path.join(dir, 'script.json');
    writeFileSync(script, JSON.stringify({ turns: [{ text: ['Hi ', 'there'] }], loop: true }));
    const { child, exited } = run(['serve-model', '--script', script, '--port', '0']);
    const firstLine = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once('line', resolve),
    );
    const { baseUrl } = JSON.parse(firstLine) as { baseUrl: string };
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const model = createOpenAICompatible({ name: 'cli', baseURL: baseUrl }).chatModel('m');
    for (let turn = 0; turn < 2; turn++) {
      const result = await model.doGenerate({
        prompt: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
      });
      expect(result.content).toEqual([{ type: 'text', text: 'Hi there' }]);
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 1 with a clear message for a bad script or bad arguments', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ text: 5 }]));
    const invalid = run(['serve-model', '--script', bad]);
    expect(await invalid.exited).toBe(1);
    expect(invalid.stderr()).toContain('Invalid script');

    const missing = run(['serve-model']);
    expect(await missing.exited).toBe(1);
    expect(missing.stderr()).toContain('--script is required');

    const unknown = run(['serve-everything']);
    expect(await unknown.exited).toBe(1);
    expect(unknown.stderr()).toContain('Unknown command');
  });
});
