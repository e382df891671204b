import { err, ok, type Result } from '../result.js';

export interface FlagSpec {
  readonly name: string;
  /** `boolean` flags take no value. */
  readonly type: 'string' | 'boolean';
}

export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly flags: Readonly<Record<string, string | true>>;
}

/**
 * `--flag value`, `--flag=value`, boolean `--flag`, and `--` ending flags. Unknown flags are an
 * error naming the known ones, so a typo never silently changes what runs.
 */
export function parseArgs(
  tokens: readonly string[],
  specs: readonly FlagSpec[],
): Result<ParsedArgs> {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  let flagsEnded = false;

  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    if (flagsEnded || !token.startsWith('--') || token === '--') {
      if (token === '--' && !flagsEnded) flagsEnded = true;
      else positional.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (spec === undefined) {
      const known = specs.map((s) => `--${s.name}`).join(', ');
      return err(
        `unknown flag --${name}${known ? `; this command takes ${known}` : '; this command takes no flags'}`,
      );
    }
    if (name in flags) return err(`--${name} is given twice`);
    if (spec.type === 'boolean') {
      if (eq !== -1) return err(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq === -1 ? tokens[++i] : token.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      return err(`--${name} needs a value`);
    }
    flags[name] = value;
  }
  return ok({ positional, flags });
}
