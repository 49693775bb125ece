import type { Command } from 'commander';
import { replayEventLog } from '@switchboard/tracing-plugin';
import { loadCliConfig } from '../../config/load-cli-config.js';
import type { CommandContext } from '../../program/command-context.js';

interface TracePushOptions {
  baseUrl?: string;
  environment?: string;
  release?: string;
  tag?: string[];
  sampleRate?: number;
}

/**
 * Builds the Langfuse traces of recorded event logs (rotated files included)
 * and sends them. Keys and URL come from the shared configuration (flags >
 * LANGFUSE_* variables > switchboard.config.json), never from a flag: flags
 * end up in shell history.
 */
export async function tracePush(context: CommandContext, command: Command): Promise<number> {
  const [files] = command.processedArgs as [string[]];
  const options = command.opts<TracePushOptions>();
  const config = await loadCliConfig(context);
  const langfuse = config.tracing.langfuse;
  let turns = 0;
  let sessions = 0;
  let events = 0;
  for (const file of files) {
    const result = await replayEventLog(file, {
      env: config.agent.env,
      ...(langfuse ? { publicKey: langfuse.publicKey, secretKey: langfuse.secretKey } : {}),
      ...(options.baseUrl
        ? { baseUrl: options.baseUrl }
        : langfuse?.baseUrl
          ? { baseUrl: langfuse.baseUrl }
          : {}),
      ...(options.environment ? { environment: options.environment } : {}),
      ...(options.release ? { release: options.release } : {}),
      ...(options.tag ? { tags: options.tag } : {}),
      ...(options.sampleRate === undefined ? {} : { sampleRate: options.sampleRate }),
      // replayEventLog rejects on problems (main prints them); its warnings are details.
      logger: { warn: (message) => context.output.debug(message) },
    });
    turns += result.turns;
    sessions += result.sessions;
    events += result.events;
    context.output.debug(`${file}: ${result.turns} turn(s), ${result.events} events`);
  }
  context.output.line(
    `Pushed ${turns} turn(s) from ${sessions} session(s) (${events} events) to Langfuse.`,
  );
  return 0;
}
