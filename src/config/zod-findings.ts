import type { z } from 'zod';
import { didYouMean } from '../lib/did-you-mean.js';
import { formatPath, type PathSegment } from './config-issue.js';
import { hintFor } from './config-hints.js';
import { finding, type Finding } from './finding.js';
import { isPlainObject } from './plain-object.js';
import { keysAt } from './schema-keys.js';

type ZodIssue = z.core.$ZodIssue;

export interface ZodContext {
  readonly schema: z.ZodType;
  readonly input: unknown;
  /** Paths whose values came from the env (`${VAR}`, `DOCKER_HOST`): never quoted back. */
  readonly origins: ReadonlyMap<string, readonly string[]>;
}

function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let value = input;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment] as unknown;
    else if (isPlainObject(value) && Object.hasOwn(value, segment)) value = value[String(segment)];
    else return undefined;
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

const ARTICLES: Readonly<Record<string, string>> = {
  array: 'a list',
  object: 'a mapping',
  string: 'text',
};

/** Zod's issues as findings with config paths, plain messages and hints; none dropped. */
export function zodFindings(
  issues: readonly ZodIssue[],
  ctx: ZodContext,
  base: readonly PathSegment[] = [],
): Finding[] {
  return issues.flatMap((zodIssue) =>
    toFindings(zodIssue, ctx, [...base, ...toSegments(zodIssue.path)]),
  );
}

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

function toFindings(zodIssue: ZodIssue, ctx: ZodContext, path: PathSegment[]): Finding[] {
  const value = valueAt(ctx.input, path);
  const withHint = (message: string, hint = hintFor(path)): Finding =>
    finding(path, message, originHint(ctx, path) ?? hint);
  // zod reports a missing enum as an invalid option and a missing field as the wrong type.
  if (
    value === undefined &&
    (zodIssue.code === 'invalid_type' || zodIssue.code === 'invalid_value')
  ) {
    return [withHint('is required', hintFor(path) ?? `add ${String(path.at(-1))}: here`)];
  }
  switch (zodIssue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(ctx.schema, path);
      return zodIssue.keys.map((key) => {
        const close = didYouMean(key, known, 1)[0];
        const hint = close ? `did you mean "${close}"?` : `allowed here: ${known.join(', ')}`;
        return finding([...path, key], `unknown key "${key}"`, hint);
      });
    }
    case 'invalid_type':
      return [
        withHint(
          `expected ${ARTICLES[zodIssue.expected] ?? `a ${zodIssue.expected}`}, got ${describe(value)}`,
          zodIssue.expected === 'string' && typeof value === 'number'
            ? `${hintFor(path) ?? 'quote the value'} (YAML reads unquoted digits as a number)`
            : hintFor(path),
        ),
      ];
    case 'invalid_union':
      return unionFindings(zodIssue.errors, ctx, path, value);
    case 'invalid_value': {
      const options = zodIssue.values.map(String);
      const close = typeof value === 'string' ? didYouMean(value, options, 1)[0] : undefined;
      return [
        withHint(
          `${quoted(ctx, path, value)}expected one of ${options.join(', ')}`,
          close ? `did you mean "${close}"?` : hintFor(path),
        ),
      ];
    }
    case 'invalid_key': {
      const reason = zodIssue.issues[0]?.message ?? 'invalid';
      return [withHint(`"${String(path.at(-1))}" is not a valid name: ${reason}`)];
    }
    case 'invalid_format':
    case 'custom':
      return [withHint(`${quoted(ctx, path, value)}${zodIssue.message}`)];
    case 'too_small':
    case 'too_big':
    case 'not_multiple_of':
    case 'invalid_element':
      return [withHint(zodIssue.message)];
  }
}

/** A union's issues come per branch; report the branch the input is closest to. */
function unionFindings(
  branches: readonly (readonly ZodIssue[])[],
  ctx: ZodContext,
  path: PathSegment[],
  value: unknown,
): Finding[] {
  const cost = (issues: readonly ZodIssue[]): number =>
    issues.reduce((sum, i) => sum + (i.code === 'unrecognized_keys' ? i.keys.length : 1), 0);
  const ranked = branches
    .map((issues) => ({ issues, cost: cost(issues) }))
    .sort((a, b) => a.cost - b.cost);
  const [best, second] = ranked;
  if (best !== undefined && (second === undefined || best.cost < second.cost)) {
    return zodFindings(best.issues, ctx, path);
  }
  return [
    finding(path, `${describe(value)} that matches none of the allowed forms`, hintFor(path)),
  ];
}

function quoted(ctx: ZodContext, path: readonly PathSegment[], value: unknown): string {
  if (typeof value !== 'string' || value.length > 80 || ctx.origins.has(formatPath(path)))
    return '';
  return `${JSON.stringify(value)}: `;
}

function originHint(ctx: ZodContext, path: readonly PathSegment[]): string | undefined {
  const variables = ctx.origins.get(formatPath(path));
  if (variables === undefined) return undefined;
  const base = hintFor(path);
  const from = `the value comes from ${variables.map((v) => `$${v}`).join(' and ')}; check that variable`;
  return base === undefined ? from : `${from} (${base})`;
}
