import { formatPath } from './config-issue.js';
import { finding, type Finding } from './finding.js';
import { mapStrings } from './plain-object.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Interpolated {
  readonly value: unknown;
  /** Every value that replaced a `${…}`; each is redacted wherever it could later appear. */
  readonly secrets: readonly string[];
  readonly issues: readonly Finding[];
  /** Path → the variables its value came from, for hints on later validation errors. */
  readonly origins: ReadonlyMap<string, readonly string[]>;
}

// `$${` is a literal `${`; `${NAME}` and `${NAME:-default}` are replaced; any other `${` is a mistake.
const TOKEN = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([^]*))?$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string value (not in keys) from `env`, as
 * Docker Compose does: the default applies when the variable is unset or empty. A missing
 * variable is an issue naming the path and the variable, never an empty string.
 */
export function interpolate(value: unknown, env: Env): Interpolated {
  const secrets = new Set<string>();
  const issues: Finding[] = [];
  const origins = new Map<string, string[]>();

  const result = mapStrings(value, (text, segments) => {
    if (!text.includes('${')) return text;
    const path = formatPath(segments);
    return text.replace(TOKEN, (match, inner: string | undefined) => {
      if (match === '$${') return '${';
      const reference = inner === undefined ? null : REFERENCE.exec(inner);
      if (reference === null) {
        issues.push(
          finding(
            segments,
            inner === undefined ? 'unterminated "${"' : `"${match}" is not a variable reference`,
            'write ${NAME} or ${NAME:-default} (letters, digits, "_"); write $${ for a literal "${"',
          ),
        );
        return match;
      }
      const [, name = '', fallback] = reference;
      const fromEnv = env[name];
      const replacement = fromEnv === undefined || fromEnv === '' ? fallback : fromEnv;
      if (replacement === undefined) {
        issues.push(
          finding(
            segments,
            `environment variable ${name} is ${fromEnv === undefined ? 'not set' : 'empty'}`,
            `set ${name} in the bot's environment, or write \${${name}:-default} for a fallback`,
          ),
        );
        return match;
      }
      if (replacement !== '') secrets.add(replacement);
      origins.set(path, [...(origins.get(path) ?? []), name]);
      return replacement;
    });
  });
  return { value: result, secrets: [...secrets], issues, origins };
}
