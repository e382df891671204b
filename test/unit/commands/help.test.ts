import { describe, expect, it } from 'vitest';
import { configDirectory } from '../../../src/commands/config-directory.js';
import { helpCommand } from '../../../src/commands/help.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import type { Command, Permission } from '../../../src/core/command.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { testConfig, testConfigInput } from '../../fakes/test-config.js';

const stub = (name: string, permission: Permission): Command => ({
  name,
  summary: name,
  usage: name,
  flags: [],
  permission,
  run: () => Promise.resolve({ title: name, blocks: [] }),
});

/** prod's support channel C02SUP also serves staging, and staging is the default. */
const sharedSupport = {
  defaultEnvironment: 'staging',
  environments: {
    ...testConfigInput.environments,
    staging: {
      ...testConfigInput.environments.staging,
      channels: { ops: { slack: 'C03STG' }, support: { slack: 'C02SUP' } },
    },
  },
} satisfies Partial<ConfigInput>;

async function help(channelId: string, flags: Record<string, string> = {}, config = testConfig()) {
  const directory = configDirectory(config);
  const commands: Command[] = [stub('logs', 'read'), stub('restart', 'restart')];
  const command = helpCommand(() => [...commands, command], directory, '/tas');
  const reply = await command.run({
    event: {
      id: 'ev1',
      platform: 'slack',
      userId: 'U01ALICE',
      channelId,
      text: 'help',
      receivedAt: new Date(0),
    },
    identity: { person: 'alice', roles: new Set(['oncall']) },
    environment: '',
    args: { positional: [], flags },
    log: silentLogger,
    correlationId: 'c1',
  });
  return { title: reply.title, commands: (reply.data as { commands: string[] }).commands };
}

describe('help', () => {
  describe('in an environment’s command channel', () => {
    it('names that environment and lists what its policy lets the person run', async () => {
      expect(await help('C01OPS')).toEqual({
        title: 'What you can run in prod',
        commands: ['logs', 'restart', 'help'],
      });
      expect(await help('C03STG')).toEqual({
        title: 'What you can run in staging',
        commands: ['help'],
      });
    });
  });

  describe('when --env names an environment', () => {
    it('answers for that environment, as a command with --env would run there', async () => {
      expect(await help('C01OPS', { env: 'staging' })).toEqual({
        title: 'What you can run in staging',
        commands: ['help'],
      });
    });
  });

  describe('in a support channel several environments share', () => {
    it('names none of them, not even the default, and lists what any of them allows', async () => {
      expect(await help('C02SUP', {}, testConfig(sharedSupport))).toEqual({
        title: 'What you can run',
        commands: ['logs', 'restart', 'help'],
      });
    });
  });
});
