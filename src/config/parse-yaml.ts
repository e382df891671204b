import {
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type YAMLError,
} from 'yaml';
import { err, ok, type Result } from '../core/result.js';
import type { ConfigIssue, PathSegment } from './config-issue.js';
import { finding, type Finding } from './finding.js';
import { setOwn } from './plain-object.js';

/**
 * Aliases may expand to at most this many nodes per value: enough for anchors shared between
 * environments, far too few for a "billion laughs" document (yaml's guard, `maxAliasCount`).
 */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  /** The document as plain data; a value that tripped the alias guard is left out. */
  readonly value: unknown;
  /** Problems found while converting (alias bombs); their paths hold no value. */
  readonly issues: readonly Finding[];
  readonly warnings: readonly ConfigIssue[];
  /** Line and column of `path`, or of its nearest ancestor written in the file. */
  locate(path: readonly PathSegment[]): { line: number; column: number } | undefined;
}

const HINTS: Readonly<Record<string, string>> = {
  BAD_INDENT:
    'indent nested keys with spaces, the same amount at each level, and close every { or [',
  TAB_AS_INDENT: 'YAML indents with spaces, never tabs',
  DUPLICATE_KEY: 'a key may appear once per mapping; merge the two entries',
  MULTIPLE_DOCS: 'keep one document per file: remove the second "---"',
  BLOCK_AS_IMPLICIT_KEY:
    'put a nested mapping on its own indented lines, or quote a value containing ": "',
  MISSING_CHAR: 'a closing quote or bracket is missing',
  BAD_ALIAS: 'every *alias needs an &anchor defined earlier in the file',
};

/** Parses YAML text; syntax errors come back with their line and column, all of them. */
export function parseYaml(text: string): Result<ParsedYaml, ConfigIssue[]> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toIssue = (error: YAMLError): ConfigIssue => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const hint = HINTS[error.code] ?? 'check the YAML syntax on this line and the one before';
    return { path: '', message: error.message, hint, line, column: col };
  };
  if (doc.errors.length > 0) return err(doc.errors.map(toIssue));

  const issues: Finding[] = unsafeNumbers(doc, text);
  const value = toPlain(doc, doc.contents, [], issues);
  return ok({
    value,
    issues,
    warnings: doc.warnings.map(toIssue),
    locate(path) {
      const offset = offsetOf(doc, path);
      if (offset === undefined) return undefined;
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    },
  });
}

function keyOf(key: unknown): string {
  return String(isScalar(key) ? key.value : key);
}

const TRIPPED = Symbol('alias guard tripped');

/**
 * yaml's own `toJS` with the alias guard, per value: when a value trips the guard, its siblings
 * are still converted, so the bomb is one issue among the others instead of the only one. The
 * issue names the collection holding the offending aliases, once, however many it holds.
 */
function toPlain(doc: Document, node: unknown, path: PathSegment[], issues: Finding[]): unknown {
  const value = convert(doc, node, path, issues);
  if (value !== TRIPPED) return value;
  issues.push(bombFinding(path));
  return undefined;
}

function convert(doc: Document, node: unknown, path: PathSegment[], issues: Finding[]): unknown {
  if (!isNode(node)) return node ?? null;
  try {
    return node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    if (!isMap(node) && !isSeq(node)) return TRIPPED;
    let tripped = false;
    const child = (item: unknown, segment: PathSegment): unknown => {
      const value = convert(doc, item, [...path, segment], issues);
      tripped ||= value === TRIPPED;
      return value === TRIPPED ? undefined : value;
    };
    const out: Record<string, unknown> = {};
    const value = isMap(node)
      ? (node.items.forEach((pair) =>
          setOwn(out, keyOf(pair.key), child(pair.value, keyOf(pair.key))),
        ),
        out)
      : node.items.map((item, i) => child(item, i));
    if (tripped) issues.push(bombFinding(path));
    return value;
  }
}

function bombFinding(path: readonly PathSegment[]): Finding {
  return finding(
    path,
    `YAML aliases here expand past ${MAX_ALIAS_COUNT} nodes, which looks like a resource exhaustion attack`,
    'write the values out, or nest fewer *aliases: nested aliases are how "billion laughs" documents exhaust memory',
  );
}

/**
 * Unquoted integers beyond 2^53 (Discord snowflakes, mostly) lose digits when YAML reads them as
 * numbers, silently so when they are mapping keys: each one is reported with its config path.
 */
function unsafeNumbers(doc: Document, text: string): Finding[] {
  const findings: Finding[] = [];
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (
        typeof node.value !== 'number' ||
        !Number.isInteger(node.value) ||
        Number.isSafeInteger(node.value)
      )
        return;
      const written = node.range ? text.slice(node.range[0], node.range[1]) : String(node.value);
      findings.push(
        finding(
          pathOf([...ancestors, node]),
          `the unquoted number ${written} is too large to keep exactly (YAML reads it as ${String(node.value)})`,
          `quote it: "${written}"`,
        ),
      );
    },
  });
  return findings;
}

/** The config path of the last node in a visitor's ancestor chain (a key: the path it names). */
function pathOf(chain: readonly unknown[]): PathSegment[] {
  const path: PathSegment[] = [];
  chain.forEach((current, i) => {
    const next = chain[i + 1];
    if (next === undefined) return;
    if (isPair(current)) path.push(keyOf(current.key));
    if (isSeq(current)) path.push(current.items.indexOf(next));
  });
  return path;
}

function offsetOf(doc: Document, path: readonly PathSegment[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = isNode(node) ? node.range?.[0] : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyOf(p.key) === String(segment));
      if (pair === undefined) break;
      if (isNode(pair.key) && pair.key.range) offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!isNode(node)) break;
      if (node.range) offset = node.range[0];
    } else {
      break;
    }
  }
  return offset;
}
