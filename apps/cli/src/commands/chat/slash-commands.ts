import { formatSessionRow } from '../../runtime/session-rows.js';
import { newSessionId } from '../../runtime/open-session.js';
import { usageText } from '../../render/usage-text.js';
import type { ChatController } from './chat-controller.js';

/** The chat's commands, for `/help`. */
export const SLASH_COMMANDS: readonly (readonly [string, string])[] = [
  ['/steer <text>', 'guide the running agent (or add to your next message when idle)'],
  ['/new', 'start a new session'],
  ['/sessions', 'list recent sessions (continue one with: switchboard chat --session <id>)'],
  [
    '/model [provider:model]',
    'list the models (* marks this session’s), or pick one for the next runs',
  ],
  ['/cost', 'tokens and cost of this session and of the last run'],
  ['/help', 'this list'],
  ['/quit', 'leave (also Ctrl-D, or Ctrl-C twice)'],
];

/** Runs one `/command` line. Unknown commands say so; none throws for a user mistake. */
export async function runSlashCommand(chat: ChatController, line: string): Promise<void> {
  const [name = '', ...words] = line.slice(1).split(/\s+/);
  const argument = line.slice(1 + name.length).trim();
  const { output } = chat.options.context;
  const { style } = output;
  switch (name) {
    case 'steer': {
      if (!argument) return chat.say(style.yellow('usage: /steer <text>'));
      chat.session.steer(argument);
      if (!chat.busy) chat.say(style.dim('(no run is going: the steer joins your next message)'));
      return;
    }
    case 'new': {
      if (chat.busy)
        return chat.say(style.yellow('a run is going: wait for it or cancel it (Ctrl-C) first'));
      const session = await chat.options.cli.agent.createSession({ id: newSessionId() });
      await chat.useSession(session, false);
      return;
    }
    case 'sessions': {
      const { sessions } = await chat.options.cli.agent.listSessions({ limit: 10 });
      for (const row of sessions) {
        const current = row.sessionId === chat.session.id ? style.green('* ') : '  ';
        chat.say(`${current}${formatSessionRow(row, style)}`);
      }
      return;
    }
    case 'model': {
      const { agent } = chat.options.cli;
      if (!argument) {
        for (const model of agent.models) {
          const current = model === chat.session.model ? style.green('* ') : '  ';
          chat.say(`${current}${model}`);
        }
        return;
      }
      if (words.length !== 1) return chat.say(style.yellow('usage: /model [provider:model]'));
      // One of agent.models (CORE_MODEL_NOT_ALLOWED otherwise); saved with the session.
      await chat.session.setModel(argument);
      return chat.say(`model ${argument}${chat.busy ? ' (from the next run)' : ''}`);
    }
    case 'cost': {
      const view = chat.view;
      chat.say(`session: ${usageText(view.usage)}`);
      if (view.run) chat.say(`last run: ${usageText(view.run.usage)}`);
      return;
    }
    case 'help': {
      const width = Math.max(...SLASH_COMMANDS.map(([command]) => command.length));
      for (const [command, what] of SLASH_COMMANDS)
        chat.say(`${command.padEnd(width)}  ${style.dim(what)}`);
      return;
    }
    case 'quit':
    case 'exit':
      return chat.close();
    default:
      return chat.say(style.yellow(`unknown command /${name}: /help lists them`));
  }
}
