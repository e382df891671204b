import type { z } from 'zod';
import type { PathSegment } from './config-issue.js';

// zod 4 keeps each schema's definition on `_zod.def`; only the fields walked here are declared.
interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly valueType?: Schema;
  readonly element?: Schema;
  readonly options?: readonly Schema[];
}
interface Schema {
  readonly _zod: { readonly def: unknown };
}

const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'readonly',
  'catch',
  'nonoptional',
]);

const defOf = (schema: Schema): Def => schema._zod.def as Def;

/** The concrete schemas behind wrappers, pipes and unions. */
function resolve(schema: Schema): Schema[] {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType) return resolve(def.innerType);
  if (def.type === 'pipe' && def.in) return resolve(def.in);
  if (def.type === 'union' && def.options) return def.options.flatMap(resolve);
  return [schema];
}

function child(schema: Schema, segment: PathSegment): Schema[] {
  const def = defOf(schema);
  if (def.type === 'object') {
    const next = def.shape?.[String(segment)];
    return next ? [next] : [];
  }
  if (def.type === 'record' && def.valueType) return [def.valueType];
  if (def.type === 'array' && def.element && typeof segment === 'number') return [def.element];
  return [];
}

/** The keys an object schema at `path` accepts (for "did you mean" on unknown keys). */
export function keysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let schemas: Schema[] = resolve(schema);
  for (const segment of path) schemas = schemas.flatMap((s) => child(s, segment)).flatMap(resolve);
  const keys = schemas.flatMap((s) => Object.keys(defOf(s).shape ?? {}));
  return [...new Set(keys)];
}
