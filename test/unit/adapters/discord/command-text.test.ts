import { describe, expect, it } from 'vitest';
import { commandOptions } from '../../../../adapters/discord/command-options.js';
import { commandText, type OptionValue } from '../../../../adapters/discord/command-text.js';
import type { CommandSpec } from '../../../../src/core/command.js';
import { parseArgs } from '../../../../src/core/parse/parse-args.js';
import { tokenize } from '../../../../src/core/parse/tokenize.js';

const logs: CommandSpec = {
  name: 'logs',
  summary: 'logs',
  usage: 'logs <service> [--since 15m] [--tail 200] [--grep RE] [--level error]',
  flags: [
    { name: 'since', type: 'string' },
    { name: 'tail', type: 'string' },
    { name: 'grep', type: 'string' },
    { name: 'level', type: 'string' },
  ],
  permission: 'read',
};
const reject: CommandSpec = {
  name: 'reject',
  summary: 'r',
  usage: 'reject <id> [reason]',
  flags: [],
  permission: 'public',
  needsEnvironment: false,
};
const rollback: CommandSpec = {
  name: 'rollback',
  summary: 'r',
  usage: 'rollback <service> [image-tag] [--break-glass REASON]',
  flags: [{ name: 'break-glass', type: 'string' }],
  permission: 'rollback',
};

const text = (spec: CommandSpec, values: Record<string, OptionValue>) =>
  commandText(spec.name, commandOptions(spec), new Map(Object.entries(values)));

/** What the core makes of the text: the same values, nothing shifted. */
function parsed(spec: CommandSpec, values: Record<string, OptionValue>) {
  const tokens = tokenize(text(spec, values));
  if (!tokens.ok) throw new Error(tokens.error);
  const args = parseArgs(tokens.value.slice(1), [...spec.flags, { name: 'env', type: 'string' }]);
  if (!args.ok) throw new Error(args.error);
  return args.value;
}

describe('commandText', () => {
  it('writes the command as typed: positionals first, then flags', () => {
    expect(text(logs, { service: 'backend', since: '15m' })).toBe('logs backend --since 15m');
    expect(text(logs, { since: '15m', service: 'backend', level: 'error', env: 'prod' })).toBe(
      'logs backend --since 15m --level error --env prod',
    );
  });

  it('quotes values the tokenizer would split or unquote, so the core reads them back exactly', () => {
    const values = { id: 'r1a2b3c', reason: 'users see "502" at C:\\ and it’s bad' };
    expect(parsed(reject, values).positional).toEqual(['r1a2b3c', values.reason]);
    expect(parsed(logs, { service: 'backend', grep: 'ECONN REFUSED|time out' }).flags.grep).toBe(
      'ECONN REFUSED|time out',
    );
  });

  it('keeps a flag value that starts with a dash a value', () => {
    expect(parsed(logs, { service: 'backend', grep: '--verbose' }).flags.grep).toBe('--verbose');
  });

  it('keeps a positional that looks like a flag a positional', () => {
    expect(parsed(reject, { id: 'r1', reason: '--no' }).positional).toEqual(['r1', '--no']);
  });

  it('holds the place of a skipped optional positional when a later one is given', () => {
    expect(text(rollback, { service: 'backend', 'break-glass': 'outage' })).toBe(
      'rollback backend --break-glass outage',
    );
    const spec: CommandSpec = {
      name: 'x',
      summary: 'x',
      usage: 'x <a> [b] [c]',
      flags: [],
      permission: 'read',
    };
    expect(parsed(spec, { a: '1', c: '3' }).positional).toEqual(['1', '', '3']);
  });

  it('passes the number typed into the integer --context option as the flag the core reads', () => {
    const spec: CommandSpec = {
      ...logs,
      usage: `${logs.usage} [--context N]`,
      flags: [...logs.flags, { name: 'context', type: 'string' }],
    };
    expect(commandOptions(spec).find((o) => o.name === 'context')?.type).toBe('integer');
    expect(parsed(spec, { service: 'backend', level: 'error', context: 3 }).flags).toEqual({
      level: 'error',
      context: '3',
    });
  });
});
