import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from './create-program.js';
import { main } from './main.js';
import { recordingIo } from './test-helpers/recording-io.js';

const run = async (...args: string[]) => {
  const io = recordingIo();
  const code = await main(['node', 'switchboard', ...args], io);
  return { code, out: io.out(), err: io.err() };
};

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

describe('switchboard argument parsing', () => {
  it('prints help with an example on stdout and exits 0', async () => {
    const { code, out, err } = await run('--help');
    expect(code).toBe(0);
    expect(out).toContain('Usage: switchboard');
    expect(out).toContain('Examples:\n  $ switchboard');
    expect(err).toBe('');
  });

  it('gives every command a description and an example in its help', () => {
    const program = createProgram(recordingIo(), { exitCode: 0 });
    const commands = allCommands(program);
    expect(commands.length).toBeGreaterThan(2);
    for (const command of commands) {
      let help = '';
      command.configureOutput({ writeOut: (text) => (help += text) });
      command.outputHelp();
      expect(command.description(), command.name()).not.toBe('');
      expect(help, command.name()).toMatch(/Examples:\n {2}\$ .*switchboard /);
    }
  });

  it('prints the package version', async () => {
    const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
    const { code, out } = await run('--version');
    expect(code).toBe(0);
    expect(out.trim()).toBe(pkg.version);
  });

  it('shows a subcommand help with `help <cmd> <sub>`', async () => {
    const { code, out } = await run('help', 'trace', 'push');
    expect(code).toBe(0);
    expect(out).toContain('Usage: switchboard trace push [options] <events...>');
    const bare = await run('help');
    expect(bare.out).toContain('Usage: switchboard [options] [command]');
  });

  it('exits 2 naming an unknown command, flag or help topic', async () => {
    const command = await run('no-such-command');
    expect(command).toMatchObject({ code: 2, out: '' });
    expect(command.err).toBe(
      "switchboard: CLI_USAGE: unknown command 'no-such-command'\nhint: See 'switchboard --help'.\n",
    );
    const flag = await run('trace', 'push', 'x.jsonl', '--no-such-flag');
    expect(flag.code).toBe(2);
    expect(flag.err).toContain("switchboard: CLI_USAGE: unknown option '--no-such-flag'");
    expect(flag.err).toContain("hint: See 'switchboard trace push --help'.");
    const topic = await run('help', 'trace', 'nope');
    expect(topic.code).toBe(2);
    expect(topic.err).toContain("unknown command 'trace nope'");
  });

  it('exits 2 naming the flag of a bad value or a missing argument', async () => {
    const value = await run('trace', 'push', 'x.jsonl', '--sample-rate', '2');
    expect(value.code).toBe(2);
    expect(value.err).toContain(
      "switchboard: CLI_USAGE: option '--sample-rate <rate>' argument '2' is invalid. Expected a number from 0 to 1.",
    );
    const missing = await run('trace', 'push');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("missing required argument 'events'");
  });

  it('exits 2 with the help on stderr when a command needs a subcommand', async () => {
    const { code, out, err } = await run('trace');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('Usage: switchboard trace');
  });
});

describe('startup', () => {
  // `switchboard --help` must stay close to a bare `node` (see bench/): the
  // modules loaded before a command runs may import commander and each other,
  // nothing else (no zod, no package of this repository).
  it('loads only commander and its own files before a command runs', () => {
    const dist = fileURLToPath(new URL('../dist/', import.meta.url));
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^import\s+(?:[^'";]*?from\s+)?['"]([^'"]+)['"]/gm)) {
        const specifier = match[1]!;
        if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
        else external.add(specifier);
      }
    };
    visit(path.join(dist, 'bin.js'));
    expect([...external].filter((name) => !name.startsWith('node:')).sort()).toEqual(['commander']);
    expect(seen.size).toBeGreaterThan(3);
  });
});
