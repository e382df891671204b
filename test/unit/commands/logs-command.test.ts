import { describe, expect, it } from 'vitest';
import type { CommandDeps } from '../../../src/commands/command-deps.js';
import { configDirectory } from '../../../src/commands/config-directory.js';
import { logsCommand } from '../../../src/commands/logs.js';
import type { Invocation } from '../../../src/core/command.js';
import { UserError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { testConfig } from '../../fakes/test-config.js';

const config = testConfig();
const platformCalls: string[] = [];
const deps: CommandDeps = {
  config,
  directory: configDirectory(config),
  clock: { now: () => new Date('2026-12-07T12:00:00Z') },
  platformFor: (environment) => {
    platformCalls.push(environment);
    throw new Error('a refused argument must not reach the Engine');
  },
  checkStatus: () => Promise.reject(new Error('not used')),
};

function invocation(positional: string[], flags: Record<string, string>): Invocation {
  return {
    event: {
      id: 'ev1',
      platform: 'console',
      userId: 'alice',
      channelId: 'ops',
      text: 'logs',
      receivedAt: new Date('2026-12-07T12:00:00Z'),
    },
    identity: { person: 'alice', roles: new Set(['oncall']) },
    environment: 'prod',
    args: { positional, flags },
    log: silentLogger,
    correlationId: 'ref1',
  };
}

async function usageAnswer(flags: Record<string, string>): Promise<UserError> {
  const error: unknown = await logsCommand(deps)
    .run(invocation(['backend'], flags))
    .then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe('logsCommand', () => {
  describe('when an argument is out of bounds', () => {
    it('answers --since 200000000d with the usage line and never asks the Engine', async () => {
      const error = await usageAnswer({ since: '200000000d' });

      expect(error.code).toBe('USAGE');
      expect(error.message).toBe('--since: "200000000d" is too long; at most 30d.');
      expect(error.details).toEqual([
        'Usage: `/tas logs <service> [--since 15m] [--tail 200] [--grep RE] [--level error] [--context N]`',
      ]);
      expect(platformCalls).toEqual([]);
    });

    it('answers a lookahead in --grep with the usage line', async () => {
      const error = await usageAnswer({ grep: '(?=x)' });

      expect(error.code).toBe('USAGE');
      expect(error.message).toBe(
        '--grep: lookaround such as (?=…), (?!…), (?<=…) or (?<!…) is not supported: patterns use RE2 syntax, which runs in time linear in the log.',
      );
      expect(platformCalls).toEqual([]);
    });
  });
});
