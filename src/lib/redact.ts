/** Turns text that may hold credentials into text that may be posted to chat or written to a file. */
export type Redactor = (text: string) => string;

const MIN_SECRET_LENGTH = 4;
const MARK = '[REDACTED]';

// Key words whose value is a credential. Matched anywhere in a key (`DB_PASSWORD`, `csrf_token`,
// `dbPassword`), but only right before a separator, so "token bucket" or "password policy" survive.
const SECRET_KEY = String.raw`(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)`;

// One alternation, one pass: every reply goes through it. Each branch is a named group so the
// callback knows what it matched without re-testing. The flag `i` covers `PASSWORD=`/`Bearer`;
// branches whose case matters (AWS key ids) are checked again in the callback.
const PATTERN = new RegExp(
  [
    String.raw`(?<pem>-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[A-Za-z0-9+/=\s]*))`,
    String.raw`(?<url>\b[a-z][a-z0-9+.-]*://[^\s:/?#@]*:)(?<urlPass>[^\s@/?#]+)(?=@)`,
    String.raw`(?<slack>\bxox(?:e\.xox)?[a-z]-[A-Za-z0-9-]{8,}|\bxapp-[A-Za-z0-9-]{8,})`,
    String.raw`(?<github>\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}))`,
    String.raw`(?<aws>\b(?:AKIA|ASIA)[A-Z0-9]{16}\b)`,
    String.raw`(?<jwt>\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)`,
    String.raw`(?<discord>\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}\b)`,
    String.raw`(?<scheme>\b(?:bearer|basic)\s+)(?<credential>[A-Za-z0-9._~+/=-]{8,})`,
    // `\"password\":\"…\"` is JSON logged inside a JSON string: the quotes arrive escaped.
    String.raw`(?<key>${SECRET_KEY}(?:\\?["'])?\s*[:=]\s*(?:(?:bearer|basic)\s+)?)` +
      String.raw`(?:\\"(?<eq>(?:[^"\\]|\\[^"])+)\\"|"(?<dq>(?:[^"\\]|\\.)+)"|'(?<sq>[^']+)'|(?<bare>[^\s"',;&}\\][^\s"',;&}]*))`,
  ].join('|'),
  'gi',
);

type Groups = Partial<Record<string, string>>;

const KIND_OF: readonly (readonly [group: string, kind: string])[] = [
  ['pem', 'private-key'],
  ['slack', 'slack-token'],
  ['github', 'github-token'],
  ['jwt', 'jwt'],
  ['discord', 'discord-token'],
];

/**
 * Builds the redactor for one deployment: the known credential shapes plus the exact values of
 * every configured secret (values shorter than 4 characters are ignored: they would blank out
 * ordinary words).
 */
export function createRedactor(secretValues: readonly string[]): Redactor {
  const exact = exactValuesPattern(secretValues);
  return (text) => {
    // Exact values first and case-sensitively: a configured secret may sit inside a shape the
    // patterns would only partly cover (a URL, a header).
    const known = exact === undefined ? text : text.replace(exact, MARK);
    return known.replace(PATTERN, replaceMatch);
  };
}

function replaceMatch(match: string, ...rest: unknown[]): string {
  const groups = rest.at(-1) as Groups;
  for (const [group, kind] of KIND_OF) {
    if (groups[group] !== undefined) return `[REDACTED:${kind}]`;
  }
  if (groups.aws !== undefined)
    return /^(?:AKIA|ASIA)[A-Z0-9]{16}$/.test(match) ? '[REDACTED:aws-key]' : match;
  if (groups.url !== undefined) return `${groups.url}${keep(groups.urlPass ?? '')}`;
  if (groups.scheme !== undefined) {
    const credential = groups.credential ?? '';
    return looksLikeCredential(credential) ? `${groups.scheme}${MARK}` : match;
  }
  return redactPair(match, groups);
}

function redactPair(match: string, groups: Groups): string {
  const key = groups.key ?? '';
  if (groups.eq !== undefined) return `${key}\\"${keep(groups.eq)}\\"`;
  if (groups.dq !== undefined) return `${key}"${keep(groups.dq)}"`;
  if (groups.sq !== undefined) return `${key}'${keep(groups.sq)}'`;
  const bare = groups.bare ?? '';
  return bare === 'null' ? match : `${key}${keep(bare)}`;
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

const SECRET_FIELD = new RegExp(`${SECRET_KEY}$`, 'i');

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
