import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the bin to completion. */
async function finish(args: string[]) {
  const { exited, stdout, stderr } = run(args);
  const code = await exited;
  return { code, stdout: stdout(), stderr: stderr() };
}

function scriptFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('switchboard-testkit serve-model (the published bin, in its own process)', () => {
  it('serves a script file to a real provider and stops on SIGTERM', async () => {
    const script = scriptFile('script.json', { turns: [{ text: ['Hi ', 'there'] }], loop: true });
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

  it('exits 1 naming every unknown or malformed key of a script, at any depth', async () => {
    const script = (name: string, content: unknown) =>
      finish(['serve-model', '--script', scriptFile(name, content)]);
    const [typo, nested, wrongType, notJson] = await Promise.all([
      script('typo.json', [{ txt: 1 }]),
      script('nested.json', {
        turns: [{ text: 'ok' }, { usage: { inputTokens: 1, outputTokens: 2, total: 3 } }],
        lop: true,
      }),
      script('bad.json', [{ text: 5 }]),
      finish(['serve-model', '--script', path.join(dir, 'missing.json')]),
    ]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('Invalid script');
    expect(typo.stderr).toContain('[0]: unknown key "txt"');
    expect(typo.stderr).toContain('A turn takes text, reasoning, toolCalls');

    expect(nested.code).toBe(1);
    expect(nested.stderr).toContain('turns[1].usage: unknown key "total"');
    expect(nested.stderr).toContain('the script: unknown key "lop"');

    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toContain('[0].text: expected string or array');

    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toContain('Cannot read script');
  });

  it('prints help and the version on stdout with exit 0', async () => {
    const [help, commandHelp, ...versions] = await Promise.all([
      finish(['--help']),
      finish(['serve-model', '--help']),
      finish(['--version']),
      finish(['-v']),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: switchboard-testkit <command>');
    expect(help.stdout).toContain('serve-model');
    expect(help.stderr).toBe('');

    expect(commandHelp.code).toBe(0);
    expect(commandHelp.stdout).toContain('--script <file.json>');
    expect(commandHelp.stdout).toContain('--api-key <key>');

    const { version } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    for (const printed of versions) {
      expect(printed.code).toBe(0);
      expect(printed.stdout).toBe(`${version}\n`);
    }
  });

  it('exits 2 on usage errors, naming each bad flag', async () => {
    // Started together: each is a Node process, and a loaded machine starts them slowly.
    const [bad, port, range, unknown, unknownFlag, none] = await Promise.all([
      finish(['serve-model', '--scrpit', 'x.json', '--prot', '1', '--api-key']),
      finish(['serve-model', '--script', 's.json', '--port=80x']),
      finish(['serve-model', '--script', 's.json', '--port', '70000']),
      finish(['serve-everything']),
      finish(['--verbose']),
      finish([]),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown option --scrpit');
    expect(bad.stderr).toContain('unexpected argument "x.json"');
    expect(bad.stderr).toContain('unknown option --prot');
    expect(bad.stderr).toContain('option --api-key needs a value');
    expect(bad.stderr).toContain('option --script is required');
    expect(bad.stderr).toContain('switchboard-testkit serve-model --help');
    expect(bad.stdout).toBe('');

    expect(port.code).toBe(2);
    expect(port.stderr).toContain('option --port must be a whole number 0-65535, got "80x"');

    expect(range.code).toBe(2);
    expect(range.stderr).toContain('option --port must be 0-65535, got 70000');

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "serve-everything"');

    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain('unknown option --verbose');

    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: switchboard-testkit <command>');
  });
});
