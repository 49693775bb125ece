import { Command, Option } from 'commander';
import { replayEventLog } from '@switchboard/tracing-plugin';
import type { CliIo } from '../cli-io.js';

/**
 * `switchboard trace push <events.jsonl>`: builds the Langfuse traces of a
 * recorded event log (rotated files included) and sends them. Credentials
 * come from LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY (flags would end up in
 * shell history); the URL from --base-url or LANGFUSE_BASE_URL / LANGFUSE_HOST.
 */
export function createTraceCommand(io: CliIo): Command {
  const trace = new Command('trace').description('Langfuse traces from event logs.');
  trace
    .command('push')
    .description(
      'Send the traces of a JSONL event log to Langfuse (keys from LANGFUSE_* variables).',
    )
    .argument('<events>', 'JSONL event log (its rotated files are read too)')
    .option(
      '--base-url <url>',
      'Langfuse URL (default: LANGFUSE_BASE_URL, LANGFUSE_HOST, Langfuse Cloud)',
    )
    .option('--environment <name>', 'langfuse.environment of every trace')
    .option('--release <name>', 'langfuse.release of every trace')
    .option('--tag <tag...>', 'tags added to every trace')
    .addOption(
      new Option('--sample-rate <rate>', 'share of sessions to send (0-1)').argParser(
        Number.parseFloat,
      ),
    )
    .action(
      async (
        file: string,
        options: {
          baseUrl?: string;
          environment?: string;
          release?: string;
          tag?: string[];
          sampleRate?: number;
        },
      ) => {
        const result = await replayEventLog(file, {
          env: io.env,
          ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
          ...(options.environment ? { environment: options.environment } : {}),
          ...(options.release ? { release: options.release } : {}),
          ...(options.tag ? { tags: options.tag } : {}),
          ...(options.sampleRate === undefined ? {} : { sampleRate: options.sampleRate }),
          logger: { warn: () => {} }, // replayEventLog rejects on problems; the CLI prints that
        });
        io.out(
          `Pushed ${result.turns} turn(s) from ${result.sessions} session(s) (${result.events} events) to Langfuse.\n`,
        );
      },
    );
  return trace;
}
