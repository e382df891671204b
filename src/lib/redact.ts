import {
  AUTH_SCHEME_SOURCE,
  PEM_SOURCE,
  SECRET_KEY_SOURCE,
  SIGNED_QUERY_SOURCE,
  TOKEN_KINDS,
  type TokenKind,
} from './redact-catalogue.js';
import { applyExtraPattern, type ExtraPattern } from './redact-extra-patterns.js';
import { createLineStreamRedactor } from './redact-line-stream.js';
import type { Redactor } from './redactor.js';

export type { Redactor } from './redactor.js';

const MIN_SECRET_LENGTH = 4;
const MARK = '[REDACTED]';

const UNSCANNABLE = '[REDACTED:unscannable]';

// One alternation, one pass: every reply and every log line goes through it. Each branch is a
// named group so the callback knows what it matched without re-testing. The flag `i` covers
// `PASSWORD=`/`Bearer`; vendor prefixes whose case matters are checked again in the callback.
// At one position the first branch that matches wins, so a URL's password is found before the
// key word inside it, and a key word before the token that is its value.
const PATTERN = buildPattern();

function buildPattern(): RegExp {
  return new RegExp(
    [
      String.raw`(?<pem>${PEM_SOURCE})`,
      // The userinfo ends at the last `@` before the path's query or fragment: a password may hold
      // `/` and `@` unencoded. A path that holds an `@` is redacted too, which errs the safe way.
      // Found from its `://`, not from its scheme: a scheme test at every word start costs a third
      // of the whole pass. The password stops before the next `://`, so a line of many URLs
      // without an `@` is scanned once, not once per URL.
      String.raw`(?<url>://[^\s:/?#@"'<>]{0,256}:)(?<urlPass>(?:[^\s"'<>?#:]|:(?!//)){1,1024})@`,
      String.raw`(?<hook>\bhooks\.slack\.com/(?:services|workflows|triggers)/|\bdiscord(?:app)?\.com/api/webhooks/\d{5,30}/)(?<hookPath>[\w+/=-]{8,})`,
      String.raw`(?<auth>\b(?:proxy-)?authorization\\?["']?\s{0,20}[:=]\s{0,20}\\?["']?(?:(?:${AUTH_SCHEME_SOURCE})\s{1,20})?)(?<authValue>[^\s"',;\\]+)`,
      String.raw`(?<query>[?&;](?:${SIGNED_QUERY_SOURCE})=)(?<queryValue>[^&\s"'#<>\\]+)`,
      String.raw`(?<token>\b(?:${tokenAlternation(TOKEN_KINDS)}))`,
      // RFC 6750's b64token: `=` only as trailing padding, so `bearer x=y` is a key=value pair.
      String.raw`(?<scheme>\b(?:bearer|basic)\s{1,20})(?<credential>[\w.~+/-]{8,}=*)(?![\w.~+/=-])`,
      // `\"password\":\"…\"` is JSON logged inside a JSON string: the quotes arrive escaped.
      String.raw`(?<key>${SECRET_KEY_SOURCE}(?:\\?["'])?\s{0,20}[:=]\s{0,20}(?:(?:bearer|basic|token)\s{1,20})?)` +
        String.raw`(?:(?<pemValue>${PEM_SOURCE})` +
        // A quoted value's closing quote is optional: one that never closes is redacted to the end
        // of its line instead of failing there, which from every `password="` of a long line
        // would rescan the rest of it.
        String.raw`|\\"(?<eq>(?:[^"\\\n]|\\[^"\n])+)(?<eqEnd>\\")?` +
        String.raw`|"(?<dq>(?:[^"\\\n]|\\.)+)(?<dqEnd>")?` +
        String.raw`|'(?<sq>[^'\n]+)(?<sqEnd>')?` +
        String.raw`|(?<bare>[^\s"',;&{}[\\][^\s"',;&}]*))`,
    ].join('|'),
    'gi',
  );
}

/**
 * The token shapes as one alternation, grouped by their first letter (`s(?:k_live…|k-proj…)`):
 * the engine tries every alternative at every word start, and grouped it dismisses a position
 * after one test per letter instead of one per shape, which makes the pass about twice as fast.
 */
function tokenAlternation(kinds: readonly TokenKind[]): string {
  const byLead = new Map<string, string[]>();
  const others: string[] = [];
  for (const { source } of kinds) {
    // Only a literal first letter can be factored out (not `[MNO]`, `\d`, or a letter with a
    // quantifier after it).
    if (!/^[a-z][^?*+{]/i.test(source)) {
      others.push(source);
      continue;
    }
    const lead = source.charAt(0).toLowerCase();
    byLead.set(lead, [...(byLead.get(lead) ?? []), source.slice(1)]);
  }
  const grouped = [...byLead].map(([lead, tails]) => `${lead}(?:${tails.join('|')})`);
  return [...grouped, ...others].join('|');
}

type Groups = Partial<Record<string, string>>;

const TOKEN_SHAPES = TOKEN_KINDS.map(
  (kind) =>
    [
      kind.kind,
      new RegExp(String.raw`^(?:${kind.confirm ?? kind.source})$`, kind.exactCase ? '' : 'i'),
    ] as const,
);

/**
 * Builds the redactor for one deployment: the catalogue of credential shapes, the exact values of
 * every configured secret (values shorter than 4 characters are ignored: they would blank out
 * ordinary words), and the operator's own patterns.
 */
export function createRedactor(
  secretValues: readonly string[],
  extraPatterns: readonly ExtraPattern[] = [],
): Redactor {
  const exact = exactValuesPattern(secretValues);
  const redactText: Redactor = (text) => {
    // Exact values first and case-sensitively: a configured secret may sit inside a shape the
    // patterns would only partly cover (a URL, a header).
    let out = exact === undefined ? text : text.replace(exact, MARK);
    out = out.replace(PATTERN, replaceMatch);
    for (const extra of extraPatterns) out = applyExtraPattern(out, extra);
    return out;
  };
  return (text) => {
    try {
      return redactText(text);
    } catch (error) {
      // The engine keeps one backtrack entry per repetition: a single token of millions of
      // characters overflows its stack. Never fail open: retry line by line, and blank a line
      // that still cannot be scanned.
      if (!(error instanceof RangeError)) throw error;
      return redactByLine(text, redactText);
    }
  };
}

function redactByLine(text: string, redactText: Redactor): string {
  const redactLine = createLineStreamRedactor((line) => {
    try {
      return redactText(line);
    } catch {
      return UNSCANNABLE;
    }
  });
  return text
    .split('\n')
    .map((line) => redactLine(line))
    .join('\n');
}

function replaceMatch(match: string, ...rest: unknown[]): string {
  const groups = rest.at(-1) as Groups;
  if (groups.token !== undefined) return tokenMarker(match);
  if (groups.pem !== undefined) return '[REDACTED:private-key]';
  if (groups.url !== undefined) return urlMarker(match, groups.url, groups.urlPass ?? '');
  if (groups.hook !== undefined) {
    const kind = groups.hook.includes('slack') ? 'slack-webhook' : 'discord-webhook';
    return `${groups.hook}[REDACTED:${kind}]`;
  }
  if (groups.auth !== undefined) return `${groups.auth}${keep(groups.authValue ?? '')}`;
  if (groups.query !== undefined) return `${groups.query}${keep(groups.queryValue ?? '')}`;
  if (groups.scheme !== undefined) {
    const credential = groups.credential ?? '';
    return looksLikeCredential(credential) ? `${groups.scheme}${MARK}` : match;
  }
  return redactPair(match, groups);
}

function tokenMarker(match: string): string {
  for (const [kind, shape] of TOKEN_SHAPES) {
    if (shape.test(match)) return `[REDACTED:${kind}]`;
  }
  // Matched only because the big pattern ignores case (`akia…`, `sg.…`): not that vendor's.
  return match;
}

// `http://backend:8080/x@y` has no password: the "password" is a port and a path.
function urlMarker(match: string, prefix: string, password: string): string {
  if (/^\d{1,5}(?:\/|$)/.test(password)) return match;
  return `${prefix}${keep(password)}@`;
}

// Values that say a credential is absent, not what it is.
const NOT_A_SECRET = /^(?:null|nil|none|undefined|true|false)$/i;

function redactPair(match: string, groups: Groups): string {
  const key = groups.key ?? '';
  if (groups.pemValue !== undefined) return `${key}[REDACTED:private-key]`;
  if (groups.eq !== undefined) return `${key}\\"${keep(groups.eq)}${groups.eqEnd ?? ''}`;
  if (groups.dq !== undefined) return `${key}"${keep(groups.dq)}${groups.dqEnd ?? ''}`;
  if (groups.sq !== undefined) return `${key}'${keep(groups.sq)}${groups.sqEnd ?? ''}`;
  const bare = groups.bare ?? '';
  return NOT_A_SECRET.test(bare) ? match : `${key}${keep(bare)}`;
}

/** Already redacted values stay as they are, so redacting twice changes nothing. */
function keep(value: string): string {
  return value.startsWith('[REDACTED') ? value : MARK;
}

// "Basic information" is prose; "Basic dXNlcjpwYXNz" is not. Real credentials carry a digit,
// a symbol, or an upper-case letter past the first character.
function looksLikeCredential(value: string): boolean {
  return /[0-9._~+/=-]/.test(value) || /[A-Z]/.test(value.slice(1));
}

function exactValuesPattern(values: readonly string[]): RegExp | undefined {
  const usable = [...new Set(values)].filter((value) => value.length >= MIN_SECRET_LENGTH);
  if (usable.length === 0) return undefined;
  // Longest first, so a secret that contains another is replaced whole.
  usable.sort((a, b) => b.length - a.length);
  return new RegExp(usable.map(escapeRegExp).join('|'), 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

const SECRET_FIELD = new RegExp(`${SECRET_KEY_SOURCE}$`, 'i');

/**
 * Redacts every string inside JSON-like data (objects, arrays), and blanks string values whose key
 * names a credential (`{ password: 'x' }` has no pattern for the text pass to find).
 */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  return walk(value, redactor, new WeakMap()) as T;
}

function walk(value: unknown, redactor: Redactor, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactor(value);
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(walk(item, redactor, seen));
    return copy;
  }
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) {
    const secret = typeof item === 'string' && item !== '' && SECRET_FIELD.test(key);
    copy[redactor(key)] = secret ? MARK : walk(item, redactor, seen);
  }
  return copy;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
