/** A `%` not followed by two hex digits: no decoder agrees on what such a path means. */
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;

/**
 * The path a request target names, or `undefined` when it names none the bot can route (the
 * answer is then 400). Origin-form (`/health?x`) is taken as sent, without dot-segment
 * resolution, so `/health/../metrics` is a path of its own (404), not `/metrics`. Absolute-form
 * (`http://host/health`), which HTTP/1.1 servers must accept, yields its path; a target that
 * does not parse as a URL (`http://[/health`) yields none. Asterisk-form (`*`, server-wide
 * OPTIONS) and authority-form (`host:443`, CONNECT) name no route here.
 */
export function requestPath(target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  let path: string;
  if (target.startsWith('/')) {
    path = target.split(/[?#]/, 1)[0] ?? '';
  } else if (/^https?:\/\//i.test(target)) {
    if (!URL.canParse(target)) return undefined;
    path = new URL(target).pathname;
  } else {
    return undefined;
  }
  return BAD_PERCENT.test(path) ? undefined : path;
}
