import type { Command } from 'commander';
import { examples, type LazyAction } from '../program/command-context.js';
import { nonEmpty, positiveInteger } from '../program/parsers.js';

/** `switchboard doctor`: is everything needed configured and working? */
export function addDoctorCommand(program: Command, lazy: LazyAction): void {
  program
    .command('doctor')
    .description(
      "Check the configuration (with the source of each value), keys, the model, the data directory, SQLite and Langfuse, and when relevant PostgreSQL (SWITCHBOARD_DATABASE_URL set), the voice engines (@switchboard/voice-session installed) and Chromium (information only: the web app's browser tests); each problem with its fix (exit 1 when something needed is broken).",
    )
    .option(
      '-m, --model <provider:model>',
      'check this model instead of the configured one',
      nonEmpty,
    )
    .option('--base-url <url>', 'base URL of openai-compatible: models')
    .option('--timeout <ms>', 'how long each network check may take', positiveInteger, 20_000)
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      examples(
        'switchboard doctor',
        'SWITCHBOARD_MODEL=openai:gpt-4o-mini switchboard doctor --json',
      ),
    )
    .action(lazy(async () => (await import('./doctor/doctor-action.js')).doctorAction));
}
