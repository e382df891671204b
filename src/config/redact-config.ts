import { isPlainObject, setOwn } from './plain-object.js';

export const REDACTED = '[redacted]';

// Header names whose values are credentials, and config keys that by name hold one.
const SENSITIVE_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key)$|token|secret|passw(or)?d|api[-_]?key/i;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^/\s@]+@/gi;

/** `text` with every secret, and the password of any URL, replaced by `[redacted]`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text.replace(URL_PASSWORD, `$1${REDACTED}@`);
  // Longest first, so a secret that contains a shorter one is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret !== '') out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * A deep copy of `value` that is safe to log: secrets (interpolated values, tokens) and the values
 * of credential-named keys (`Authorization`, `Cookie`, `X-Api-Key`, `*token*`, `*password*`) are
 * replaced by `[redacted]`.
 */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, secrets));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      setOwn(
        out,
        key,
        SENSITIVE_KEY.test(key) && item !== undefined ? REDACTED : redactValue(item, secrets),
      );
    }
    return out;
  }
  return value;
}
