import { cutAtTokenBoundary } from '../../lib/redact-cut.js';

/**
 * Deep partial match: every key of `expected` must be in `actual` with a matching value
 * (recursively); every element of an expected array must match some element of the actual
 * array, in any order; anything else compares with `===`. Returns the first mismatch as one
 * human line (`expected status "OK", got "DEGRADED"`), or undefined when `actual` contains
 * `expected`.
 */
export function matchJsonSubset(expected: unknown, actual: unknown, path = ''): string | undefined {
  const where = path === '' ? 'body' : path;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `expected ${where} to be a list, got ${show(actual)}`;
    for (const wanted of expected) {
      if (!actual.some((item) => matchJsonSubset(wanted, item) === undefined)) {
        return `expected ${where} to contain ${show(wanted)}`;
      }
    }
    return undefined;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return `expected ${where} to be an object, got ${show(actual)}`;
    for (const [key, wanted] of Object.entries(expected)) {
      const mismatch = matchJsonSubset(wanted, actual[key], path === '' ? key : `${path}.${key}`);
      if (mismatch !== undefined) return mismatch;
    }
    return undefined;
  }
  return expected === actual
    ? undefined
    : `expected ${where} ${show(expected)}, got ${show(actual)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as JSON, short enough for one chat line. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  // Cut where a token ends: the detail is redacted later, and half a token is not recognised.
  return text.length > 60 ? `${cutAtTokenBoundary(text, 59)}…` : text;
}
