import { describe, expect, it } from 'vitest';
import { Output } from './output.js';
import { colorEnabled, createStyle } from './style.js';
import { recordingIo } from '../test-helpers/recording-io.js';

const tty = { write: () => {}, isTTY: true };
const pipe = { write: () => {}, isTTY: false };

describe('colour', () => {
  it.each([
    [tty, {}, true],
    [pipe, {}, false],
    [tty, { NO_COLOR: '1' }, false],
    [tty, { NO_COLOR: '' }, true],
    [pipe, { FORCE_COLOR: '1' }, true],
    [tty, { FORCE_COLOR: '0' }, false],
    [tty, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    [tty, { TERM: 'dumb' }, false],
  ])('%o with %o → %s', (stream, env, expected) => {
    expect(colorEnabled(stream, env)).toBe(expected);
  });

  it('styles are plain text when off', () => {
    expect(createStyle(false).red('x')).toBe('x');
    expect(createStyle(true).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});

describe('Output', () => {
  it('sends results to stdout and diagnostics to stderr by verbosity', () => {
    for (const [verbosity, err] of [
      ['quiet', 'warning: w\n'],
      ['normal', 'i\nwarning: w\n'],
      ['verbose', 'i\nd\nwarning: w\n'],
    ] as const) {
      const io = recordingIo();
      const output = new Output(io, verbosity);
      output.line('result');
      output.info('i');
      output.debug('d');
      output.warn('w');
      expect(io.out()).toBe('result\n');
      expect(io.err()).toBe(err);
      expect(output.live).toBe(false);
    }
  });
});
