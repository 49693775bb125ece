import { describe, expect, it } from 'vitest';
import {
  MAX_TITLE_CHARS,
  UNTITLED,
  cutAtWord,
  fallbackTitle,
  normaliseUserTitle,
  sanitizeTitle,
} from './sanitize-title.js';

describe('sanitizeTitle', () => {
  it.each([
    ['Trip to Rome', 'Trip to Rome'],
    ['"Trip to Rome"', 'Trip to Rome'],
    ['“Trip to Rome.”', 'Trip to Rome'],
    ["'Trip to Rome'.", 'Trip to Rome'],
    ['# Trip to Rome', 'Trip to Rome'],
    ['**Trip to Rome**', 'Trip to Rome'],
    ['Title: Trip to Rome', 'Trip to Rome'],
    ['**Title:** "Trip to Rome"', 'Trip to Rome'],
    ['- Trip to `Rome`', 'Trip to Rome'],
    ['\n\n  Trip   to\tRome  \nBecause the user asked about Rome.', 'Trip to Rome'],
    ['<think>The user wants a title.</think>\nTrip to Rome', 'Trip to Rome'],
    ['Is Rome worth it?', 'Is Rome worth it?'],
  ])('%j → %j', (raw, title) => {
    expect(sanitizeTitle(raw, 60)).toBe(title);
  });

  it.each([[''], ['   \n  '], ['""'], ['**'], ['<think>only thinking']])(
    '%j → nothing (the caller falls back)',
    (raw) => {
      expect(sanitizeTitle(raw, 60)).toBeUndefined();
    },
  );

  it('cuts at maxChars on a word boundary', () => {
    const title = sanitizeTitle('Planning a three day trip to Rome with museums and food', 30)!;
    expect(title).toBe('Planning a three day trip to');
    expect(title.length).toBeLessThanOrEqual(30);
  });
});

describe('cutAtWord', () => {
  it('keeps short text, cuts at the last space, and mid-word only for one long word', () => {
    expect(cutAtWord('short', 10)).toBe('short');
    expect(cutAtWord('one two three', 8)).toBe('one two');
    expect(cutAtWord('one two three', 7)).toBe('one two');
    expect(cutAtWord('Donaudampfschifffahrt', 8)).toBe('Donaudam');
    expect(cutAtWord('one, two', 5)).toBe('one');
  });
});

describe('fallbackTitle', () => {
  it('keeps the first six words, with an ellipsis when there were more', () => {
    expect(fallbackTitle('Plan three days in Rome in May please', 60)).toBe(
      'Plan three days in Rome in…',
    );
    expect(fallbackTitle('  What   is\nthe weather? ', 60)).toBe('What is the weather?');
  });

  it('fits maxChars, the ellipsis included', () => {
    const title = fallbackTitle('Supercalifragilistic expialidocious words everywhere', 25);
    expect(title).toBe('Supercalifragilistic…');
    expect(title.length).toBeLessThanOrEqual(25);
  });

  it('names a message without text', () => {
    expect(fallbackTitle('', 60)).toBe(UNTITLED);
    expect(fallbackTitle(' \n ', 60)).toBe(UNTITLED);
  });
});

describe('normaliseUserTitle', () => {
  it('collapses whitespace and trims', () => {
    expect(normaliseUserTitle('  Rome\n in   May ')).toBe('Rome in May');
    expect(normaliseUserTitle('x'.repeat(MAX_TITLE_CHARS))).toHaveLength(MAX_TITLE_CHARS);
  });

  it.each([[''], ['  \n '], ['x'.repeat(MAX_TITLE_CHARS + 1)], [42], [null]])(
    'refuses %j with CORE_INVALID_INPUT',
    (title) => {
      expect(() => normaliseUserTitle(title)).toThrow(
        expect.objectContaining({ code: 'CORE_INVALID_INPUT' }),
      );
    },
  );
});
