import { InvalidArgumentError } from 'commander';

// Value parsers for options. They throw commander's InvalidArgumentError, so a
// bad value is a usage error (exit 2) whose message names the flag:
// "option '--max-turns <n>' argument 'abc' is invalid. …".

/** A whole number ≥ 1. */
export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('Expected a whole number of 1 or more.');
  }
  return Number(value);
}

/** A whole number ≥ 0. */
export function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('Expected a whole number of 0 or more.');
  }
  return Number(value);
}

/** A number from 0 to 1. */
export function ratio(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new InvalidArgumentError('Expected a number from 0 to 1.');
  }
  return number;
}

/** A non-empty text. */
export function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('Expected a non-empty value.');
  return value;
}

/** Collects a repeatable option into a list (`--tag a --tag b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
