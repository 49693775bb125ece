import { readFileSync } from 'node:fs';
import { serveModel } from './serve-model.js';

const NAME = 'switchboard-testkit';

const USAGE = `Usage: ${NAME} <command> [options]

Offline test doubles that speak real protocols.

Commands:
  serve-model    Serve scripted model turns (OpenAI chat completions and
                 Anthropic Messages) on 127.0.0.1

Options:
  -h, --help     Show this help
  -v, --version  Print the version

Run \`${NAME} serve-model --help\` for the command's options.`;

const SERVE_MODEL_USAGE = `Usage: ${NAME} serve-model --script <file.json> [--port <n>] [--api-key <key>]

Serves scripted turns over the OpenAI chat-completions and Anthropic Messages
protocols on 127.0.0.1. Prints one JSON line {"baseUrl": "..."} once
listening; stops on SIGINT/SIGTERM.

Options:
  --script <file.json>  A JSON array of turns, or {"turns": [...], "loop": true}
                        (loop replays the turns once they run out). Required.
  --port <n>            Port to listen on, 0-65535; 0 (the default) picks a free one
  --api-key <key>       Answer 401 unless requests carry this key
  -h, --help            Show this help

Exit codes: 0 stopped by a signal, 1 bad script or the server failed, 2 usage error.`;

/** Exit codes: usage errors are 2 (as for most Unix tools), so scripts can tell them from failures. */
const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

interface ServeModelFlags {
  script?: string;
  port?: string;
  'api-key'?: string;
  help?: true;
}

const isValueFlag = (name: string): name is 'script' | 'port' | 'api-key' =>
  name === 'script' || name === 'port' || name === 'api-key';

/**
 * Reads `serve-model`'s arguments, collecting every problem instead of
 * stopping at the first, so one run names each bad flag.
 */
function parseServeModelArgs(args: readonly string[]): {
  flags: ServeModelFlags;
  problems: string[];
} {
  const flags: ServeModelFlags = {};
  const problems: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '-h' || arg === '--help') {
      flags.help = true;
      continue;
    }
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      problems.push(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument "${arg}"`);
      continue;
    }
    const [, name = '', inline] = match;
    if (!isValueFlag(name)) {
      problems.push(`unknown option --${name}`);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = args[index + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        index++;
      }
    }
    if (value === undefined || value === '') {
      problems.push(`option --${name} needs a value`);
      continue;
    }
    flags[name] = value;
  }
  if (flags.help) return { flags, problems: [] };
  if (flags.script === undefined && !problems.some((p) => p.startsWith('option --script'))) {
    problems.push('option --script is required');
  }
  if (flags.port !== undefined && !/^\d+$/.test(flags.port)) {
    problems.push(`option --port must be a whole number 0-65535, got "${flags.port}"`);
  } else if (flags.port !== undefined && Number(flags.port) > 65535) {
    problems.push(`option --port must be 0-65535, got ${flags.port}`);
  }
  return { flags, problems };
}

function usageError(problems: readonly string[], help: string): number {
  process.stderr.write(
    `${problems.map((problem) => `${NAME}: ${problem}`).join('\n')}\n\nRun \`${help}\` for usage.\n`,
  );
  return EXIT_USAGE;
}

function version(): string {
  // dist/cli/main.js and src/cli/main.ts both sit two levels below package.json.
  const manifest: unknown = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  );
  return typeof manifest === 'object' &&
    manifest != null &&
    'version' in manifest &&
    typeof manifest.version === 'string'
    ? manifest.version
    : 'unknown';
}

/** The `switchboard-testkit` command. Returns the exit code (it never calls process.exit itself). */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version()}\n`);
    return EXIT_OK;
  }
  if (command === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (command !== 'serve-model') {
    return usageError(
      [command.startsWith('-') ? `unknown option ${command}` : `unknown command "${command}"`],
      `${NAME} --help`,
    );
  }
  const { flags, problems } = parseServeModelArgs(rest);
  if (flags.help) {
    process.stdout.write(`${SERVE_MODEL_USAGE}\n`);
    return EXIT_OK;
  }
  const { script } = flags;
  if (problems.length > 0 || script === undefined) {
    return usageError(problems, `${NAME} serve-model --help`);
  }

  let server;
  try {
    server = await serveModel({
      script,
      ...(flags.port === undefined ? {} : { port: Number(flags.port) }),
      ...(flags['api-key'] === undefined ? {} : { apiKey: flags['api-key'] }),
    });
  } catch (error) {
    process.stderr.write(`${NAME}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
  process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return EXIT_OK;
}
