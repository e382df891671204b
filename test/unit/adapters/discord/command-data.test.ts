import { describe, expect, it } from 'vitest';
import { commandData } from '../../../../adapters/discord/command-data.js';
import { commandOptions } from '../../../../adapters/discord/command-options.js';
import type { AuditLog } from '../../../../src/audit/audit-log.js';
import { configDirectory } from '../../../../src/commands/config-directory.js';
import { createCommands } from '../../../../src/commands/index.js';
import { systemClock } from '../../../../src/core/ports/clock.js';
import type { CommandSpec } from '../../../../src/core/command.js';
import { testConfig } from '../../../fakes/test-config.js';

const unused = () => {
  throw new Error('not called while registering');
};

function realCommands(): readonly CommandSpec[] {
  const config = testConfig();
  return createCommands({
    config,
    directory: configDirectory(config),
    clock: systemClock,
    platformFor: unused,
    checkStatus: unused,
    audit: {} as AuditLog,
  });
}

describe('commandData', () => {
  it('registers /tas with one subcommand per command and options typed from each usage', async () => {
    await expect(
      `${JSON.stringify(commandData('tas', realCommands()), null, 2)}\n`,
    ).toMatchFileSnapshot('../../../fixtures/golden/discord-commands.json');
  });

  it('stays within Discord’s command rules', () => {
    const data = commandData('tas', realCommands());
    expect(data.description.length).toBeLessThanOrEqual(100);
    for (const sub of data.options ?? []) {
      expect(sub.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
      expect(sub.description.length).toBeLessThanOrEqual(100);
      const options = 'options' in sub ? (sub.options ?? []) : [];
      expect(options.length).toBeLessThanOrEqual(25);
      const required = options.map((o) => ('required' in o && o.required === true ? 1 : 0));
      expect(required).toEqual([...required].sort((a, b) => b - a));
    }
  });
});

describe('commandOptions', () => {
  const spec = (
    usage: string,
    flags: CommandSpec['flags'] = [],
    more: Partial<CommandSpec> = {},
  ): CommandSpec => ({
    name: usage.split(' ')[0] ?? '',
    summary: 's',
    usage,
    flags,
    permission: 'read',
    ...more,
  });

  it('reads positionals from <required> and [optional] and flags with their usage hint', () => {
    const options = commandOptions(
      spec('logs <service> [--since 15m] [--grep RE]', [
        { name: 'since', type: 'string' },
        { name: 'grep', type: 'string' },
      ]),
    );
    expect(options.map((o) => [o.name, o.kind, o.required, o.description])).toEqual([
      ['service', 'positional', true, 'service name'],
      ['since', 'flag', false, '--since 15m'],
      ['grep', 'flag', false, '--grep RE'],
      ['env', 'flag', false, "environment (default: this channel's)"],
    ]);
    expect(options[0]?.autocomplete).toBe(true);
  });

  it('keeps the words a service option also accepts', () => {
    expect(commandOptions(spec('stop <service|all>'))[0]).toMatchObject({
      name: 'service',
      literals: ['all'],
      autocomplete: true,
    });
  });

  it('types counts as integers and boolean flags as booleans', () => {
    const options = commandOptions(
      spec('scale <service> <replicas> [--dry-run]', [{ name: 'dry-run', type: 'boolean' }]),
    );
    expect(options.map((o) => [o.name, o.type])).toEqual([
      ['service', 'string'],
      ['replicas', 'integer'],
      ['dry-run', 'boolean'],
      ['env', 'string'],
    ]);
  });

  it('takes the environment from the positional when the command has one, and none when it needs none', () => {
    expect(commandOptions(spec('status [env]')).map((o) => [o.name, o.kind])).toEqual([
      ['env', 'positional'],
    ]);
    expect(
      commandOptions(spec('approve <id>', [], { needsEnvironment: false })).map((o) => o.name),
    ).toEqual(['id']);
  });
});
