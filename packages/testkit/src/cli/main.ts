import { parseArgs } from 'node:util';
import { serveModel } from './serve-model.js';

const USAGE = `Usage: switchboard-testkit serve-model --script <file.json> [--port <n>] [--api-key <key>]

Serves scripted turns over the OpenAI chat-completions protocol on 127.0.0.1.
Prints one JSON line {"baseUrl": "..."} once listening; stops on SIGINT/SIGTERM.
The script is a JSON array of turns, or {"turns": [...], "loop": true}.`;

/** The `switchboard-testkit` command. Returns the exit code (it never calls process.exit itself). */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 1 : 0;
  }
  if (command !== 'serve-model') {
    process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
    return 1;
  }
  let values: { script?: string; port?: string; 'api-key'?: string };
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: {
        script: { type: 'string' },
        port: { type: 'string' },
        'api-key': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 1;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (
    !values.script ||
    (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
  ) {
    process.stderr.write(`--script is required and --port must be 0-65535.\n\n${USAGE}\n`);
    return 1;
  }
  let server;
  try {
    server = await serveModel({
      script: values.script,
      ...(port === undefined ? {} : { port }),
      ...(values['api-key'] === undefined ? {} : { apiKey: values['api-key'] }),
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
