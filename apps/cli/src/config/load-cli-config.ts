import type { SwitchboardConfig } from '@switchboard/agent-core/config';
import type { CommandContext } from '../program/command-context.js';

/** The configuration flags a command may pass (the others come from the environment and files). */
export interface CliConfigFlags {
  model?: string;
  baseUrl?: string;
  /** `serve`: where the web server listens. */
  host?: string;
  port?: string;
  /** `voice`: the speech-to-text engine (`offline` or a cloud vendor). */
  stt?: string;
  /** `voice`: the text-to-speech engine (`offline` or a cloud vendor). */
  tts?: string;
}

/**
 * The shared configuration (`loadConfig` of `@switchboard/agent-core/config`,
 * the one the web server uses): flags > environment > switchboard.config.json
 * (project, then SWITCHBOARD_HOME) > defaults. The CLI never parses a config
 * file or a variable itself; `--home` is the loader's `home` flag.
 */
export async function loadCliConfig(
  context: CommandContext,
  flags: CliConfigFlags = {},
): Promise<SwitchboardConfig> {
  const { loadConfig } = await import('@switchboard/agent-core/config');
  return loadConfig({
    flags: {
      ...(flags.model === undefined ? {} : { model: flags.model }),
      ...(flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl }),
      ...(flags.host === undefined ? {} : { host: flags.host }),
      ...(flags.port === undefined ? {} : { port: flags.port }),
      ...(flags.stt === undefined ? {} : { stt: flags.stt }),
      ...(flags.tts === undefined ? {} : { tts: flags.tts }),
      ...(context.globals.home === undefined ? {} : { home: context.globals.home }),
    },
    env: context.io.env,
    cwd: context.io.cwd,
  });
}
