import type { FlagSpec } from '../core/parse/parse-args.js';

/** Flags that each take a value (`--since 15m`), in the order given. */
export function stringFlags(...names: readonly string[]): FlagSpec[] {
  return names.map((name) => ({ name, type: 'string' }));
}
