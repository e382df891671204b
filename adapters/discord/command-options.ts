import type { CommandSpec } from '../../src/core/command.js';

/**
 * One native option of a `/tas` subcommand, read from the command's spec: positionals from
 * `<name>` / `[name]` in the usage, flags from `flags` (their usage hint as description), and
 * `--env`, which every command accepts.
 */
export interface OptionSpec {
  /** The Discord option name (lowercase, 1–32 of `[-_\p{L}\p{N}]`). */
  readonly name: string;
  readonly kind: 'positional' | 'flag';
  /** The flag as the core spells it (`break-glass`), for positionals the usage name. */
  readonly source: string;
  readonly type: 'string' | 'integer' | 'boolean';
  readonly required: boolean;
  readonly description: string;
  /** Service names complete from the live platform. */
  readonly autocomplete: boolean;
  /** Words the option also accepts besides a service (`all` in `<service|all>`). */
  readonly literals: readonly string[];
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  service: 'service name',
  env: "environment (default: this channel's)",
  replicas: 'number of replicas',
  id: 'request id, as on the card',
  reason: 'why (shown on the card and in the audit trail)',
  image: 'a tag, a digest or a full image reference (default: the previous image)',
  command: 'a command to explain',
  n: 'how many',
  text: 'what is going on',
};
const INTEGER_NAMES = new Set(['replicas', 'n']);
// Flags that take a count: Discord offers a number field and refuses anything else as typed.
const INTEGER_FLAGS = new Set(['context']);
// Flags whose usage hint alone (`--context N`) would not say what they do.
const FLAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  context: '--context N: lines shown around each match, 0 to 20 (default 0 with a filter)',
};

export function optionName(raw: string): string {
  return (
    raw
      .toLowerCase()
      .replace(/[^-_\p{L}\p{N}]+/gu, '-')
      .slice(0, 32) || 'value'
  );
}

function positional(token: string, required: boolean): OptionSpec {
  const [first = 'value', ...literals] = token.split('|');
  const name = optionName(first);
  return {
    name,
    kind: 'positional',
    source: first,
    type: INTEGER_NAMES.has(name) ? 'integer' : 'string',
    required,
    description: DESCRIPTIONS[name] ?? name,
    autocomplete: name === 'service',
    literals,
  };
}

/** `logs <service> [--since 15m]` → the positional tokens and each flag's usage hint. */
function readUsage(usage: string): { positionals: OptionSpec[]; hints: Map<string, string> } {
  const positionals: OptionSpec[] = [];
  const hints = new Map<string, string>();
  for (const match of usage.matchAll(/<([^<>\s]+)>|\[([^[\]]+)\]/g)) {
    const inside = match[1] ?? match[2] ?? '';
    const flag = /^--([\w-]+)(?:\s+(.+))?$/.exec(inside);
    if (flag?.[1] !== undefined) hints.set(flag[1], inside);
    else if (!/\s/.test(inside)) positionals.push(positional(inside, match[1] !== undefined));
  }
  return { positionals, hints };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The options of one subcommand, required ones first (Discord's rule), positionals in usage
 * order, at most 25. Names that collide keep their first meaning.
 */
export function commandOptions(spec: CommandSpec): OptionSpec[] {
  const { positionals, hints } = readUsage(spec.usage);
  const flags: OptionSpec[] = spec.flags.map((flag) => ({
    name: optionName(flag.name),
    kind: 'flag',
    source: flag.name,
    type: flag.type === 'boolean' ? 'boolean' : INTEGER_FLAGS.has(flag.name) ? 'integer' : 'string',
    required: false,
    description: truncate(
      FLAG_DESCRIPTIONS[flag.name] ?? hints.get(flag.name) ?? `--${flag.name}`,
      100,
    ),
    autocomplete: false,
    literals: [],
  }));
  const env: OptionSpec = {
    name: 'env',
    kind: 'flag',
    source: 'env',
    type: 'string',
    required: false,
    description: DESCRIPTIONS.env ?? 'environment',
    autocomplete: false,
    literals: [],
  };
  const seen = new Set<string>();
  const all = [...positionals, ...flags, ...(spec.needsEnvironment === false ? [] : [env])].filter(
    (o) => {
      if (seen.has(o.name)) return false;
      seen.add(o.name);
      return true;
    },
  );
  return [...all.filter((o) => o.required), ...all.filter((o) => !o.required)].slice(0, 25);
}
