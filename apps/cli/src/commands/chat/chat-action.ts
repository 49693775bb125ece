import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { loadCliConfig } from '../../config/load-cli-config.js';
import type { CommandContext } from '../../program/command-context.js';
import { EXIT } from '../../program/exit-codes.js';
import { openCliAgent } from '../../runtime/open-cli-agent.js';
import { newSessionId, openSession } from '../../runtime/open-session.js';
import { ChatController } from './chat-controller.js';
import { MutableTerminalOutput } from './mutable-terminal-output.js';

interface ChatFlags {
  model?: string;
  baseUrl?: string;
  session?: string;
  maxTurns?: number;
  tools?: boolean;
}

/**
 * `switchboard chat`: a line-based chat (readline, no full-screen UI, so it
 * works over SSH, in tmux and with piped input). The session lives in the
 * shared store; the process gives its lease up when it exits.
 */
export async function chatAction(context: CommandContext, command: Command): Promise<number> {
  const flags = command.opts<ChatFlags>();
  const config = await loadCliConfig(context, flags);
  const cli = await openCliAgent(config, {
    cwd: context.io.cwd,
    env: context.io.env,
    tools: flags.tools !== false,
    clarify: true,
    ...(flags.maxTurns === undefined ? {} : { maxTurns: flags.maxTurns }),
    onError: (error) => context.output.debug(`${error.name}: ${error.message}`),
  });
  try {
    const session = await openSession(cli.agent, flags.session ?? newSessionId(), { create: true });
    // A continued session keeps the model it picked, unless --model says otherwise.
    if (flags.model !== undefined && session.model !== flags.model)
      await session.setModel(flags.model);
    const { io } = context;
    const terminal = io.stdin.isTTY === true && io.stdout.isTTY;
    // On a terminal readline's echo is muted while an answer streams (see MutableTerminalOutput).
    const echo = terminal ? new MutableTerminalOutput(process.stdout) : undefined;
    const output =
      echo ??
      new Writable({
        write(chunk: Buffer | string, _encoding, callback) {
          io.stdout.write(String(chunk));
          callback();
        },
      });
    const rl = createInterface({ input: io.stdin, output, terminal, historySize: 200 });
    const chat = new ChatController({ context, cli, rl, terminal, ...(echo ? { echo } : {}) });
    try {
      await chat.run(session, flags.session !== undefined);
    } finally {
      echo?.destroy();
    }
    return EXIT.OK;
  } finally {
    await cli.close();
  }
}
