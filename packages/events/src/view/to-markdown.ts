import type { AnyEvent } from '../schema/agent-event.js';
import { reduceEvents } from './reduce-session.js';
import { compactionLine, handoffLine } from './marker-items.js';
import type { ToolCallItem, ViewItem } from './session-view.js';

/** Options of {@link toMarkdown}. */
export interface ToMarkdownOptions {
  /**
   * Longest tool input, output or reasoning shown, in characters; longer
   * values are cut with a note saying how much was left out. @default 2000
   */
  readonly maxValueChars?: number;
  /** Include reasoning blocks (as quotes). @default true */
  readonly reasoning?: boolean;
}

/**
 * A readable Markdown transcript of a session: user and assistant messages,
 * reasoning, tool calls with their arguments and results in fenced blocks
 * (cut to `maxValueChars`), approvals, questions, steer notes, notices,
 * errors, and compaction and handoff markers. Built on {@link reduceEvents}, so it shows what a UI would.
 */
export function toMarkdown(events: Iterable<AnyEvent>, options: ToMarkdownOptions = {}): string {
  const maxChars = options.maxValueChars ?? 2000;
  const view = reduceEvents(events);
  const blocks: string[] = [];
  if (view.title !== undefined) blocks.push(`# ${view.title}`);
  for (const item of view.items) {
    const block = renderItem(item, maxChars, options.reasoning ?? true);
    if (block !== undefined) blocks.push(block);
  }
  return `${blocks.join('\n\n')}\n`;
}

function renderItem(item: ViewItem, maxChars: number, reasoning: boolean): string | undefined {
  switch (item.kind) {
    case 'message': {
      const who = item.role === 'user' ? 'User' : item.role === 'system' ? 'System' : 'Assistant';
      const status = item.status === 'completed' ? '' : ` _(${item.status})_`;
      return `**${who}:**${status}\n\n${item.text}`;
    }
    case 'reasoning':
      if (!reasoning) return undefined;
      return quote(
        `_Reasoning${item.redacted ? ' (redacted)' : ''}:_ ${truncate(item.text, maxChars)}`,
      );
    case 'tool_call':
      return renderToolCall(item, maxChars);
    case 'clarify': {
      const choices = item.choices?.length ? ` (${item.choices.join(' / ')})` : '';
      const answer =
        item.status === 'answered'
          ? `\n\n**Answer** (${item.source ?? 'user'}): ${item.answer ?? ''}`
          : '\n\n_(waiting for an answer)_';
      return `**Question:** ${item.question}${choices}${answer}`;
    }
    case 'steer':
      return quote(`**Steer:** ${item.text}`);
    case 'notice':
      return quote(`**${item.severity}${item.code ? ` ${item.code}` : ''}:** ${item.message}`);
    case 'error':
      return `**Error${item.error.code ? ` \`${item.error.code}\`` : ''}:** ${item.error.message}`;
    case 'compaction':
      return `--- _${compactionLine(item)}_ ---`;
    case 'handoff':
      return `--- _${handoffLine(item)}_ ---${item.summary ? `\n\n${quote(item.summary)}` : ''}`;
  }
}

function renderToolCall(call: ToolCallItem, maxChars: number): string {
  const duration = call.durationMs === undefined ? '' : `, ${Math.round(call.durationMs)} ms`;
  const lines = [`**Tool call** \`${call.toolName}\` (${call.status}${duration})`];
  if (call.approval !== undefined) {
    const by = call.approval.automatic ? ' by policy' : '';
    const reason = call.approval.reason ? `: ${call.approval.reason}` : '';
    lines.push(`Approval: ${call.approval.status}${by}${reason}`);
  }
  const args = call.input !== undefined ? stringify(call.input) : call.argsText;
  if (args.length > 0) lines.push(`Arguments:\n${fence(truncate(args, maxChars), 'json')}`);
  if (call.output !== undefined) {
    const output = typeof call.output === 'string' ? call.output : stringify(call.output);
    lines.push(
      `Result${call.truncated ? ' (truncated at the source)' : ''}:\n${fence(truncate(output, maxChars), typeof call.output === 'string' ? '' : 'json')}`,
    );
  }
  if (call.error !== undefined) {
    lines.push(`Error${call.error.code ? ` \`${call.error.code}\`` : ''}: ${call.error.message}`);
  }
  return lines.join('\n\n');
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value); // a cycle or a BigInt: still show something
  }
}

/** Cuts `text` to `max` characters, saying how many were left out. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… (${text.length - max} more characters)`;
}

/** A fenced block whose fence is longer than any backtick run inside, so content cannot close it. */
function fence(text: string, lang: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}
