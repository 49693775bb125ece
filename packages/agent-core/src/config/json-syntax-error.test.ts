import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from './json-syntax-error.js';

describe('findJsonSyntaxError', () => {
  it.each([
    '{}',
    ' [1, -2.5e+3, 0, true, false, null, "a\\"b\\u00e9\\n"] ',
    '{"a": {"b": [{}, []]}, "c": ""}',
    '"just a string"',
  ])('valid JSON has none: %s', (text) => {
    expect(() => void JSON.parse(text)).not.toThrow();
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  it.each(
    (
      [
        ['{"a": 1,}', 1, 8, 'trailing comma (JSON allows none before "}")'],
        ['[1, 2,\n]', 1, 6, 'trailing comma (JSON allows none before "]")'],
        ['{"a": 01}', 1, 8, 'unexpected "1", expected "," or "}"'],
        ['{"a": "b\nc"}', 1, 9, 'control character in a string (write it as an escape like \\n)'],
        ['{"a": "\\x"}', 1, 8, 'invalid escape in a string'],
        ['{"a": "\\u12"}', 1, 8, 'invalid \\u escape'],
        [
          '{\n  "a": "open\n',
          2,
          13,
          'control character in a string (write it as an escape like \\n)',
        ],
        ['{"a": "open', 1, 7, 'unterminated string'],
        ['{"a": -}', 1, 7, 'invalid number'],
        ['{"a": tru}', 1, 7, 'unexpected "t", expected a value'],
        ['{"a" 1}', 1, 6, 'unexpected "1", expected ":" after the key'],
        ['{} {}', 1, 4, 'unexpected "{" after the JSON value'],
        ['{"a": [1 2]}', 1, 10, 'unexpected "2", expected "," or "]"'],
        ['{"a": 1', 1, 8, 'unexpected end of file, expected "," or "}"'],
      ] as const
    ).map(([text, line, column, reason]) => ({ text, line, column, reason })),
  )('$text: line $line, column $column', ({ text, line, column, reason }) => {
    expect(() => void JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)).toEqual({ line, column, reason });
  });
});
