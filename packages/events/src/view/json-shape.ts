import { isRecord } from './view-helpers.js';

// Hand-written checks instead of zod: the view model ships in the zod-free
// client entry (see client.ts), and the shapes it reads back are small.

/**
 * Checks one JSON value and records what is wrong with it as
 * `path: expected …` lines in `issues` (nothing when it fits).
 */
export type Check = (value: unknown, path: string, issues: string[]) => void;

/**
 * A check for every field of `T`, optional ones included: a field added to
 * `T` without a check here fails to compile.
 */
export type Shape<T> = { readonly [K in keyof T]-?: Check };

function primitive(expected: string, test: (value: unknown) => boolean): Check {
  return (value, path, issues) => {
    if (!test(value))
      issues.push(`${path}: expected ${expected}${value === undefined ? ', missing' : ''}`);
  };
}

/** Any string. */
export const aString = primitive('a string', (value) => typeof value === 'string');

/** A finite number (JSON has no NaN or Infinity; they arrive as `null`). */
export const aNumber = primitive(
  'a number',
  (value) => typeof value === 'number' && Number.isFinite(value),
);

/** A non-negative safe integer: a `seq`, a position, a count. */
export const aCount = primitive(
  'a non-negative integer',
  (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0,
);

/** `true` or `false`. */
export const aBoolean = primitive('a boolean', (value) => typeof value === 'boolean');

/** Any value, absent included (tool input and output are arbitrary JSON). */
export const anyValue: Check = () => undefined;

/**
 * One of the keys of `values`. A table rather than a list so that
 * `satisfies Record<Union, true>` makes the compiler check it names every
 * member of the union and nothing else.
 */
export function oneOf(values: Readonly<Record<string, true>>): Check {
  return primitive(
    `one of ${Object.keys(values).join(', ')}`,
    (value) => typeof value === 'string' && Object.hasOwn(values, value),
  );
}

/** Absent, or passes `check`. */
export function optional(check: Check): Check {
  return (value, path, issues) => {
    if (value !== undefined) check(value, path, issues);
  };
}

/** An array whose every entry passes `check`. */
export function arrayOf(check: Check): Check {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push(`${path}: expected an array${value === undefined ? ', missing' : ''}`);
      return;
    }
    value.forEach((entry: unknown, index) => check(entry, `${path}[${index}]`, issues));
  };
}

/**
 * An object whose fields pass the checks of `shape`. Fields it does not name
 * are let through (a newer server may send more).
 */
export function objectOf<T>(shape: Shape<T>): Check {
  const fields: readonly (readonly [string, Check])[] = Object.entries<Check>(shape);
  return (value, path, issues) => {
    if (!isRecord(value)) {
      issues.push(
        `${path || '(root)'}: expected an object${value === undefined ? ', missing' : ''}`,
      );
      return;
    }
    for (const [key, check] of fields) check(value[key], path ? `${path}.${key}` : key, issues);
  };
}
