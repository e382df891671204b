/** Helpers for walking untrusted, already-parsed data without trusting its shape. */

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets an own property even for keys such as `__proto__`, which plain assignment would turn into a
 * prototype change (a config file is untrusted input).
 */
export function setOwn(target: PlainObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Rebuilds `value` with `visit` applied to every string, tracking the path to each. */
export function mapStrings(
  value: unknown,
  visit: (text: string, path: readonly (string | number)[]) => string,
  path: readonly (string | number)[] = [],
): unknown {
  if (typeof value === 'string') return visit(value, path);
  if (Array.isArray(value))
    return value.map((item: unknown, i) => mapStrings(item, visit, [...path, i]));
  if (isPlainObject(value)) {
    const out: PlainObject = {};
    for (const [key, item] of Object.entries(value))
      setOwn(out, key, mapStrings(item, visit, [...path, key]));
    return out;
  }
  return value;
}

/** Freezes `value` and everything reachable from it; returns it with a readonly type. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** Paths of `__proto__` keys: zod drops them silently, so they are reported here instead. */
export function protoKeyPaths(
  value: unknown,
  path: readonly (string | number)[] = [],
): (string | number)[][] {
  if (Array.isArray(value))
    return value.flatMap((item: unknown, i) => protoKeyPaths(item, [...path, i]));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === '__proto__' ? [[...path, key]] : protoKeyPaths(item, [...path, key]),
  );
}
