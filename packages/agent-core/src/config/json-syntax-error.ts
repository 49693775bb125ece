/** Where a JSON text first goes wrong, and why, in words. */
export interface JsonSyntaxError {
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units, as editors count them). */
  column: number;
  reason: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * Finds the first syntax error of a JSON text, or `undefined` when it is
 * valid. `JSON.parse` only sometimes reports a position (V8 says
 * `Unexpected token '}', "{"a": }" is not valid JSON` with none), and a
 * config file's error must point at a line and column, so this small strict
 * scanner walks the grammar of RFC 8259 once more on failure.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let at = 0;
  const fail = (reason: string, offset = at): never => {
    throw new Stop(offset, reason);
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const unexpected = (expected: string): never =>
    at >= text.length
      ? fail(`unexpected end of file, expected ${expected}`)
      : fail(`unexpected ${describeChar(text[at]!)}, expected ${expected}`);

  const string = () => {
    const start = at;
    at++; // opening quote
    for (;;) {
      if (at >= text.length) fail('unterminated string', start);
      const char = text[at]!;
      if (char === '"') return void at++;
      if (char < ' ') fail('control character in a string (write it as an escape like \\n)');
      if (char === '\\') {
        const next = text[at + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) fail('invalid \\u escape');
          at += 6;
        } else if (next !== undefined && ESCAPES.has(next)) {
          at += 2;
        } else {
          fail('invalid escape in a string');
        }
      } else {
        at++;
      }
    }
  };

  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === '{') return object();
    if (char === '[') return array();
    if (char === '"') return string();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      NUMBER.lastIndex = at;
      if (!NUMBER.test(text)) fail('invalid number');
      at = NUMBER.lastIndex;
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, at)) return void (at += literal.length);
    }
    unexpected('a value');
  };

  const object = () => {
    at++;
    skipSpace();
    if (text[at] === '}') return void at++;
    for (;;) {
      skipSpace();
      if (text[at] !== '"') unexpected('a "key" in double quotes');
      string();
      skipSpace();
      if (text[at] !== ':') unexpected('":" after the key');
      at++;
      value();
      skipSpace();
      if (text[at] === '}') return void at++;
      if (text[at] !== ',') unexpected('"," or "}"');
      const comma = at++;
      skipSpace();
      if (text[at] === '}') fail('trailing comma (JSON allows none before "}")', comma);
    }
  };

  const array = () => {
    at++;
    skipSpace();
    if (text[at] === ']') return void at++;
    for (;;) {
      value();
      skipSpace();
      if (text[at] === ']') return void at++;
      if (text[at] !== ',') unexpected('"," or "]"');
      const comma = at++;
      skipSpace();
      if (text[at] === ']') fail('trailing comma (JSON allows none before "]")', comma);
    }
  };

  try {
    value();
    skipSpace();
    if (at < text.length) fail(`unexpected ${describeChar(text[at]!)} after the JSON value`);
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ...lineAndColumn(text, error.offset), reason: error.reason };
  }
}

function describeChar(char: string): string {
  if (char === '/') return '"/" (JSON has no comments)';
  if (char === "'") return `"'" (JSON strings use double quotes)`;
  return JSON.stringify(char);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
