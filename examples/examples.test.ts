import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startModelServer } from '@switchboard/testkit';
import { afterAll, describe, expect, it } from 'vitest';

// Every example a README shows is a file here or in a package's `examples/`,
// run as its own process exactly as the README says (plain `node` for .mjs,
// `node --import tsx` for .ts), and every README block marked
// `<!-- example: path -->` must be that file, character for character. So a
// snippet people copy is one this suite ran.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = import.meta.resolve('tsx');
const scratch = mkdtempSync(path.join(tmpdir(), 'sb-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an example file as a child process with only the environment given (plus PATH). */
function runExample(file: string, env: Record<string, string> = {}): Promise<Ran> {
  const args = file.endsWith('.ts') ? ['--import', tsx, file] : [file];
  const cwd = mkdtempSync(path.join(scratch, 'run-')); // examples may write files (events.db …)
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args.map((arg) => (arg === file ? path.join(root, file) : arg)),
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 45_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** Each runnable example, what it must print, and the README that shows it. */
const EXAMPLES: Array<{ file: string; prints: RegExp[] }> = [
  { file: 'examples/quickstart-offline.mjs', prints: [/^Hello from an offline model!$/m] },
  {
    file: 'packages/agent-core/examples/one-call.ts',
    prints: [/^Hello! How can I help\? \(completed, \d+ tokens\)$/m],
  },
  { file: 'packages/agent-core/examples/quick-start.ts', prints: [/sunny in Paris/, /completed/] },
  {
    file: 'packages/events/examples/bus-with-log-and-jsonl.ts',
    prints: [/^Hello/, /1 run\.started/, /3 run\.finished/],
  },
  { file: 'packages/testkit/examples/scripted-model-server.ts', prints: [/^Hello!$/m] },
  { file: 'packages/tracing-plugin/examples/trace-a-turn.ts', prints: [/generation/, /Turn 1/] },
  {
    file: 'packages/webui-server/examples/serve-offline.ts',
    prints: [/^Hello from the API\.$/m],
  },
];

describe('examples run as processes', () => {
  it.each(EXAMPLES)('$file', async ({ file, prints }) => {
    const ran = await runExample(file);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    for (const pattern of prints) expect(ran.stdout).toMatch(pattern);
  });

  it('the OpenAI quick start, against a local server that speaks the OpenAI API', async () => {
    await using server = await startModelServer({
      script: [{ text: 'Hello there, from five words.' }],
    });
    const ran = await runExample('examples/quickstart-openai.mjs', {
      OPENAI_API_KEY: 'sk-test-quickstart',
      OPENAI_BASE_URL: server.baseUrl,
    });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toBe('Hello there, from five words.\n');
    // The turn, then the session title (agent-core's `titles`, on by default): one small call
    // without tools after the first exchange. Its script turn is missing, so it falls back quietly.
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.body).toMatchObject({ model: 'gpt-4o-mini' });
    const title = server.requests[1]!.body as {
      messages: Array<{ content: unknown }>;
      tools?: unknown;
    };
    expect(JSON.stringify(title.messages[0]!.content)).toContain('You name conversations');
    expect(title.tools).toBeUndefined();
  });

  it('the OpenAI quick start without a key says what to set', async () => {
    const ran = await runExample('examples/quickstart-openai.mjs');
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toContain('OPENAI_API_KEY');
  });

  const live = process.env.SWITCHBOARD_LIVE === '1' && Boolean(process.env.OPENAI_API_KEY);
  it.skipIf(!live)(
    'the OpenAI quick start against the real API (opt-in: SWITCHBOARD_LIVE=1 and OPENAI_API_KEY)',
    async () => {
      const ran = await runExample('examples/quickstart-openai.mjs', {
        OPENAI_API_KEY: process.env.OPENAI_API_KEY ?? '',
      });
      expect(ran.code).toBe(0);
      expect(ran.stdout.trim().length).toBeGreaterThan(0);
    },
  );
});

describe('README blocks are the example files', () => {
  const readmes = [
    'README.md',
    ...['packages', 'apps', 'examples'].flatMap((group) =>
      group === 'examples'
        ? ['examples/README.md']
        : readdirSync(path.join(root, group)).map((dir) => `${group}/${dir}/README.md`),
    ),
  ].filter((file) => {
    try {
      readFileSync(path.join(root, file));
      return true;
    } catch {
      return false;
    }
  });
  const marked = readmes.flatMap((readme) => markedBlocks(readme));

  it('every marked block equals its file', () => {
    expect(marked.length).toBeGreaterThan(0);
    for (const block of marked) {
      const file = readFileSync(path.join(root, block.file), 'utf8');
      expect(block.code, `${block.readme} → ${block.file}`).toBe(file);
    }
  });

  it('every example file is shown by a README and run above', () => {
    const shown = new Set(marked.map((block) => block.file));
    const ran = new Set([...EXAMPLES.map((e) => e.file), 'examples/quickstart-openai.mjs']);
    for (const file of exampleFiles()) {
      expect(shown.has(file), `${file} is not shown by any README`).toBe(true);
      expect(ran.has(file), `${file} is not run by this suite`).toBe(true);
    }
  });

  it("a package README's install line names every package its example imports", () => {
    for (const block of marked.filter((b) => b.readme.startsWith('packages/'))) {
      const readme = readFileSync(path.join(root, block.readme), 'utf8');
      const installs = readme
        .split('\n')
        .filter((line) => /^(pnpm add|npm install)/.test(line))
        .join(' ');
      for (const pkg of importedPackages(block.code)) {
        expect(installs, `${block.readme} imports ${pkg} in ${block.file}`).toContain(pkg);
      }
    }
  });
});

interface MarkedBlock {
  readme: string;
  file: string;
  code: string;
}

/** Blocks preceded by `<!-- example: path -->` (path relative to the README). */
function markedBlocks(readme: string): MarkedBlock[] {
  const text = readFileSync(path.join(root, readme), 'utf8');
  const blocks: MarkedBlock[] = [];
  const pattern = /<!-- example: (\S+) -->\n+```[a-z]*\n([\s\S]*?)```\n/g;
  for (const match of text.matchAll(pattern)) {
    const file = path.relative(root, path.join(root, path.dirname(readme), match[1]!));
    blocks.push({ readme, file, code: match[2]! });
  }
  return blocks;
}

/** `examples/*.mjs|ts` and `packages/<name>/examples/*`. */
function exampleFiles(): string[] {
  const files = readdirSync(path.join(root, 'examples'))
    .filter(
      (name) =>
        /\.(mjs|ts)$/.test(name) && !name.endsWith('.test.ts') && name !== 'vitest.config.ts',
    )
    .map((name) => `examples/${name}`);
  for (const pkg of readdirSync(path.join(root, 'packages'))) {
    const dir = path.join(root, 'packages', pkg, 'examples');
    try {
      for (const name of readdirSync(dir)) files.push(`packages/${pkg}/examples/${name}`);
    } catch {
      // no examples
    }
  }
  return files;
}

/** Bare package names a snippet imports (`ai`, `@scope/name`), without `node:` builtins. */
function importedPackages(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/from '([^']+)'/g)) {
    const source = match[1]!;
    if (source.startsWith('.') || source.startsWith('node:')) continue;
    const parts = source.split('/');
    names.add(source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return [...names];
}
