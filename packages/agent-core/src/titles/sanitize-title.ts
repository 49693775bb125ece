import { AgentCoreError } from '../errors/agent-core-error.js';

/** Longest title the contract allows (`session.title_updated`). */
export const MAX_TITLE_CHARS = 200;

/** Words the fallback title keeps from the user's first message. */
const FALLBACK_WORDS = 6;

/** What a session without any text in its first message is called. */
export const UNTITLED = 'New conversation';

/** Quote pairs models like to wrap a title in. */
const QUOTES: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['“', '”'],
  ['‘', '’'],
  ['«', '»'],
  ['„', '“'],
  ['*', '*'],
  ['_', '_'],
];

/**
 * A model's answer as a title: reasoning tags dropped, the first non-empty
 * line, markdown (headings, bullets, emphasis, code) and a `Title:` label
 * removed, wrapping quotes stripped, whitespace collapsed, trailing `.,;:`
 * dropped, cut to `maxChars` on a word boundary. `undefined` when nothing is
 * left (the caller falls back).
 */
export function sanitizeTitle(raw: string, maxChars: number): string | undefined {
  const withoutThinking = raw.replace(/<think(?:ing)?>[\s\S]*?(?:<\/think(?:ing)?>|$)/gi, '');
  const line = withoutThinking
    .split(/\r?\n/)
    .map((candidate) => cleanLine(candidate))
    .find((candidate) => candidate.length > 0);
  if (line === undefined) return undefined;
  const cut = cutAtWord(line, maxChars);
  return cut.length > 0 ? cut : undefined;
}

/**
 * The readable fallback: the first words of the user's first message (an
 * ellipsis when there were more), cleaned like a model title. A message with
 * no text (an image alone) gets {@link UNTITLED}.
 */
export function fallbackTitle(firstMessage: string, maxChars: number): string {
  const words = collapse(firstMessage).split(' ').filter(Boolean);
  const head = words.slice(0, FALLBACK_WORDS).join(' ');
  const cleaned = sanitizeTitle(head, maxChars);
  if (cleaned === undefined) return UNTITLED;
  const more = words.length > FALLBACK_WORDS || cleaned.length < head.length;
  if (!more) return cleaned;
  // The ellipsis counts: cut one character shorter so it still fits.
  return `${cutAtWord(cleaned, maxChars - 1)}…`;
}

/**
 * A title the user gave (`session.setTitle`): whitespace, newlines included,
 * collapsed to single spaces and trimmed; 1 to 200 characters. Anything else
 * throws `CORE_INVALID_INPUT`, and nothing changes.
 */
export function normaliseUserTitle(title: unknown): string {
  if (typeof title !== 'string')
    throw new AgentCoreError({
      code: 'CORE_INVALID_INPUT',
      message: `A title must be a string, got ${title == null ? String(title) : `a value of type ${typeof title}`}.`,
    });
  const normalised = collapse(title);
  if (normalised.length === 0 || normalised.length > MAX_TITLE_CHARS)
    throw new AgentCoreError({
      code: 'CORE_INVALID_INPUT',
      message: `A title must have 1 to ${MAX_TITLE_CHARS} characters, got ${normalised.length}.`,
    });
  return normalised;
}

/** `text` cut to at most `max` characters at the last word boundary (mid-word only for one long word). */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max + 1);
  const space = head.lastIndexOf(' ');
  const cut = space > 0 ? head.slice(0, space) : text.slice(0, max);
  return trimEnd(cut);
}

function cleanLine(line: string): string {
  let text = collapse(line)
    .replace(/^#{1,6}\s+/, '') // heading
    .replace(/^(?:[-*+•]|\d+[.)])\s+/, '') // list item
    .replace(/^(?:\*\*|__)?title(?:\*\*|__)?\s*:(?:\*\*|__)?\s*/i, ''); // "Title: …"
  text = trimEnd(text.replace(/\*\*|__|`/g, ''));
  for (let unwrapped = true; unwrapped;) {
    unwrapped = false;
    for (const [open, close] of QUOTES) {
      if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) {
        text = trimEnd(text.slice(open.length, -close.length).trim());
        unwrapped = true;
      }
    }
  }
  return text;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Drops trailing sentence punctuation a title does not need (keeps `?` and `!`). */
function trimEnd(text: string): string {
  return text.replace(/[\s.,;:–—-]+$/u, '');
}
