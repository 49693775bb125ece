import os from 'node:os';
import type { Command } from 'commander';
import { reduceEvents, toMarkdown, type AnyEvent } from '@switchboard/events';
import { loadCliConfig } from '../../config/load-cli-config.js';
import { CliError } from '../../errors/cli-error.js';
import type { CommandContext } from '../../program/command-context.js';
import { streamSink } from '../../render/sinks.js';
import { TranscriptPrinter } from '../../render/transcript-printer.js';
import { usageText } from '../../render/usage-text.js';
import { openStores, type CliStores } from '../../runtime/open-stores.js';
import { readSessionEvents } from '../../runtime/session-events.js';
import { formatSessionRow } from '../../runtime/session-rows.js';

async function withStores<T>(
  context: CommandContext,
  use: (stores: CliStores) => Promise<T>,
  empty: () => T,
): Promise<T> {
  const stores = await openStores(await loadCliConfig(context));
  if (!stores) return empty();
  try {
    return await use(stores);
  } finally {
    await stores.close();
  }
}

/** `sessions list`: id, last activity, status, messages, cost, title (newest first). */
export async function listSessions(context: CommandContext, command: Command): Promise<number> {
  const options = command.opts<{ limit: number; search?: string; json?: boolean }>();
  const { output } = context;
  // The store's list is what agent.listSessions returns; used directly, it needs no model.
  const rows = await withStores(
    context,
    async ({ store }) =>
      (
        await store.list({
          limit: options.limit,
          ...(options.search === undefined ? {} : { q: options.search }),
        })
      ).sessions,
    () => [],
  );
  if (options.json) {
    for (const row of rows) output.line(JSON.stringify(row));
    return 0;
  }
  if (rows.length === 0) {
    output.info(
      options.search === undefined
        ? "No sessions yet. Start one with 'switchboard chat' or 'switchboard run \"…\"'."
        : `No session title contains "${options.search}".`,
    );
    return 0;
  }
  for (const row of rows) output.line(formatSessionRow(row, output.style));
  return 0;
}

/** The stored events of a session, or CLI_SESSION_NOT_FOUND. */
async function sessionEvents(stores: CliStores, sessionId: string): Promise<AnyEvent[]> {
  const events = stores.log ? await readSessionEvents(stores.log, sessionId) : [];
  if (events.length === 0 && !(await stores.store.load(sessionId))) throw notFound(sessionId);
  return events;
}

function notFound(sessionId: string): CliError {
  return new CliError({
    code: 'CLI_SESSION_NOT_FOUND',
    message: `No session ${sessionId} in the store.`,
    hint: "List them with 'switchboard sessions list'.",
  });
}

/** `sessions show <id>`: the transcript, as `run` and `chat` print it. */
export async function showSession(context: CommandContext, command: Command): Promise<number> {
  const [sessionId] = command.processedArgs as [string];
  const { reasoning } = command.opts<{ reasoning: boolean }>();
  const events = await withStores(
    context,
    (stores) => sessionEvents(stores, sessionId),
    () => {
      throw notFound(sessionId);
    },
  );
  const view = reduceEvents(events);
  const { output } = context;
  const style = output.style;
  output.line(style.bold(`Session ${sessionId}${view.title ? ` — ${view.title}` : ''}`));
  output.line(
    style.dim(
      `agent ${view.agent ?? '?'} · ${view.runCount} run(s) · ${usageText(view.usage)}${view.run?.model ? ` · ${view.run.model}` : ''}`,
    ),
  );
  output.line();
  const sink = streamSink(output.stdout, style);
  new TranscriptPrinter({ text: sink, reasoning }).update(view);
  for (const approval of view.approvals) {
    output.line(
      style.yellow(
        `waiting for approval ${approval.approvalId}: switchboard run --session ${sessionId} --approve ${approval.approvalId}`,
      ),
    );
  }
  return 0;
}

/** `sessions rm <id…>`: the session and its events; refused while another live process holds it. */
export async function removeSessions(context: CommandContext, command: Command): Promise<number> {
  const [ids] = command.processedArgs as [string[]];
  await withStores(
    context,
    async ({ store, log }) => {
      for (const sessionId of ids) {
        // Taking the lease refuses (CORE_SESSION_LOCKED) while a live writer has the session.
        const owner = `${os.hostname()}/${process.pid}/cli-rm`;
        if (!(await store.acquireLease(sessionId, owner))) throw notFound(sessionId);
        await store.delete(sessionId);
        const events = (await log?.deleteSession(sessionId)) ?? 0;
        context.output.info(`Deleted ${sessionId} (${events} events).`);
      }
    },
    () => {
      throw notFound(ids[0]!);
    },
  );
  return 0;
}

/** `sessions export <id> --format jsonl|markdown`. */
export async function exportSession(context: CommandContext, command: Command): Promise<number> {
  const [sessionId] = command.processedArgs as [string];
  const { format } = command.opts<{ format: 'jsonl' | 'markdown' }>();
  const events = await withStores(
    context,
    (stores) => sessionEvents(stores, sessionId),
    () => {
      throw notFound(sessionId);
    },
  );
  if (format === 'markdown') context.output.result(toMarkdown(events));
  else for (const event of events) context.output.result(`${JSON.stringify(event)}\n`);
  return 0;
}
