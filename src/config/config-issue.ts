/**
 * One problem found in the config or the process env, with where it is and what to do about it.
 * `path` is the dotted/bracket path inside the YAML (`environments.prod.probes[1].url`), the name
 * of an env variable (`SLACK_BOT_TOKEN`), or `''` for the file as a whole (YAML syntax errors).
 */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
  /** 1-based position in the YAML file, when the problem can be traced to a line. */
  readonly line?: number;
  readonly column?: number;
}

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][\w-]*$/;

/** `['environments', 'prod', 'probes', 1, 'url']` → `environments.prod.probes[1].url`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** True when `path` is `prefix` itself or lies inside it. */
export function isWithin(path: string, prefix: string): boolean {
  return (
    prefix === '' ||
    path === prefix ||
    path.startsWith(`${prefix}.`) ||
    path.startsWith(`${prefix}[`)
  );
}

/** An issue, leaving out `hint` when there is none (exactOptionalPropertyTypes). */
export function issue(path: string, message: string, hint?: string): ConfigIssue {
  return hint === undefined ? { path, message } : { path, message, hint };
}
