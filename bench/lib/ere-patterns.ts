import { RUNBOOK_LOG_PATTERNS } from '../../src/diagnostics/logs/log-patterns.js';

/**
 * JavaScript regex source → a POSIX ERE that GNU `grep -iE` reads the same way, for the runbook
 * patterns of src/diagnostics/logs/log-patterns.ts: `(?:` → `(`, lazy → greedy (same match or
 * not), `\d` → `[0-9]`, `\/` → `/`, and a run of lookaheads `^(?=.*?A)(?=.*?B)(?=.*?C)` (all
 * three, any order) → every order of `A.*B.*C`. `\b` and `\s` are GNU extensions grep knows.
 */
export function toEre(source: string): string {
  return alternatives(source)
    .map((alternative) =>
      alternative.startsWith('^(?=') ? expandLookaheads(alternative) : alternative,
    )
    .map(rewriteTokens)
    .join('|');
}

/** All runbook patterns as one `grep -iE` expression. */
export function runbookEre(): string {
  return RUNBOOK_LOG_PATTERNS.map((p) => `(${toEre(p.regex.source)})`).join('|');
}

/** Splits at `|` outside groups and classes. */
function alternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') {
      i += 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/** The index just past the group that opens at `open`. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') {
      i += 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced group in ${source}`);
}

function expandLookaheads(alternative: string): string {
  const bodies: string[] = [];
  let at = 1; // past the ^
  while (at < alternative.length) {
    if (!alternative.startsWith('(?=.*?', at))
      throw new Error(
        `cannot translate "${alternative}" to ERE: only ^(?=.*?X)… runs are supported`,
      );
    const end = groupEnd(alternative, at);
    bodies.push(alternative.slice(at + '(?=.*?'.length, end - 1));
    at = end;
  }
  return permutations(bodies)
    .map((order) => order.map((body) => `(${body})`).join('.*'))
    .join('|');
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

function rewriteTokens(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i] ?? '';
    const next = source[i + 1] ?? '';
    if (c === '\\') {
      if (next === 'd') out += inClass ? '0-9' : '[0-9]';
      else if (next === '/') out += '/';
      else out += c + next;
      i += 1;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '(' && source.startsWith('(?:', i)) {
      out += '(';
      i += 2;
    } else if (c === '(' && source.startsWith('(?', i)) {
      throw new Error(`cannot translate "${source}" to ERE: ${source.slice(i, i + 3)} groups`);
    } else if ((c === '*' || c === '+' || c === '?' || c === '}') && next === '?') {
      out += c;
      i += 1;
    } else out += c;
  }
  return out;
}
