import { issue, type ConfigIssue } from './config-issue.js';
import type { Env } from './interpolate.js';

const SNOWFLAKE = /^\d{15,22}$/;

/** Reads one variable; empty counts as unset (as `VAR=` in an env file means). */
export function reader(env: Env, issues: ConfigIssue[]) {
  return {
    get(name: string): string | undefined {
      const value = env[name];
      return value === undefined || value === '' ? undefined : value;
    },
    fail(name: string, message: string, hint?: string): undefined {
      issues.push(issue(name, message, hint));
      return undefined;
    },
  };
}
export type Reader = ReturnType<typeof reader>;

export function url(
  r: Reader,
  name: string,
  protocols: readonly string[],
  example: string,
): string | undefined {
  const value = r.get(name);
  if (value === undefined) return undefined;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    return r.fail(name, 'is not a URL', `e.g. ${name}=${example}`);
  }
  if (!protocols.includes(protocol)) {
    return r.fail(
      name,
      `must use ${protocols.map((p) => `${p}//`).join(' or ')}`,
      `e.g. ${name}=${example}`,
    );
  }
  return value;
}

export function snowflake(r: Reader, name: string): string | undefined {
  const value = r.get(name);
  if (value === undefined || SNOWFLAKE.test(value)) return value;
  return r.fail(
    name,
    'is not a Discord id (a 17-20 digit number)',
    'copy it with Developer Mode on: right-click → Copy ID',
  );
}
