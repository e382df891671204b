import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/core/chat-event.js';
import type { Command, Invocation } from '../../../src/core/command.js';
import { createDispatcher } from '../../../src/core/dispatcher.js';
import { DependencyError, UserError } from '../../../src/core/errors.js';
import { authorize } from '../../../src/core/middleware/authorize.js';
import { identify } from '../../../src/core/middleware/identify.js';
import { resolveCommand } from '../../../src/core/middleware/resolve-command.js';
import { configDirectory } from '../../../src/commands/config-directory.js';
import { requestPolicies } from '../../../src/operations/request-policies.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { testConfig, testConfigInput } from '../../fakes/test-config.js';

function event(text: string, overrides: Partial<ChatEvent> = {}): ChatEvent {
  return {
    id: 'ev1',
    platform: 'slack',
    userId: 'U01ALICE',
    channelId: 'C01OPS',
    text,
    receivedAt: new Date(0),
    ...overrides,
  };
}

function setup(
  run: (inv: Invocation) => Promise<unknown> = () => Promise.resolve(),
  config = testConfig(),
) {
  const seen: Invocation[] = [];
  const command = (name: string, extra: Partial<Command> = {}): Command => ({
    name,
    summary: name,
    usage: `${name} <service>`,
    flags: [{ name: 'since', type: 'string' }],
    permission: 'read',
    async run(inv) {
      seen.push(inv);
      await run(inv);
      return {
        title: `${name} ran`,
        blocks: [{ kind: 'excerpt', lines: ['password=hunter2 in a log'] }],
        data: { echo: 'xoxb-123456789012-abc' },
      };
    },
    ...extra,
  });
  const commands = [
    command('logs'),
    command('status', { environmentPositional: true }),
    command('approve', { permission: 'approve' }),
  ];
  const directory = configDirectory(config);
  const { log, entries } = captureLogger();
  const dispatcher = createDispatcher({
    slash: '/tas',
    log,
    redact: (text) =>
      text.replace(/password=\S+/g, 'password=[REDACTED]').replace(/xoxb-\S+/g, '[REDACTED]'),
    correlationId: () => 'ref42',
    middleware: [
      identify(directory),
      resolveCommand(commands, directory, '/tas'),
      authorize(directory, requestPolicies(config)),
    ],
  });
  return { dispatcher, seen, entries };
}

describe('dispatcher', () => {
  describe('when the person is not in the config', () => {
    it('refuses and says how to get added', async () => {
      const { dispatcher, seen } = setup();
      const reply = await dispatcher.dispatch(event('logs backend', { userId: 'U99STRANGER' }));
      expect(reply.title).toContain('slack user U99STRANGER is not in the config');
      expect(reply.ephemeral).toBe(true);
      expect(seen).toHaveLength(0);
    });
  });

  describe('when the command is misspelt', () => {
    it('suggests the command that was meant', async () => {
      const { dispatcher } = setup();
      const reply = await dispatcher.dispatch(event('lgos backend'));
      expect(reply.title).toBe('`/tas lgos` is not a command. Did you mean `/tas logs`?');
    });
  });

  describe('when a flag is malformed', () => {
    it('answers with the usage of that command', async () => {
      const { dispatcher, seen } = setup();
      const reply = await dispatcher.dispatch(event('logs backend --since'));
      expect(reply.title).toBe('--since needs a value.');
      expect(reply.blocks).toEqual([{ kind: 'text', text: 'Usage: `/tas logs <service>`' }]);
      expect(seen).toHaveLength(0);
    });
  });

  describe('choosing the environment', () => {
    it('uses the channel’s environment by default', async () => {
      const { dispatcher, seen } = setup();
      await dispatcher.dispatch(event('logs backend'));
      expect(seen[0]?.environment).toBe('prod');
      expect(seen[0]?.args.positional).toEqual(['backend']);
    });

    it('takes the first positional as environment where the command allows it', async () => {
      const { dispatcher, seen } = setup();
      await dispatcher.dispatch(event('status staging', { userId: 'U04DAVE' }));
      expect(seen[0]?.environment).toBe('staging');
      expect(seen[0]?.args.positional).toEqual([]);
    });

    it('suggests the environment that was meant', async () => {
      const { dispatcher } = setup();
      const reply = await dispatcher.dispatch(event('logs backend --env prdo'));
      expect(reply.title).toBe('There is no environment `prdo`. Did you mean `prod`?');
    });

    describe('in a support channel that is no environment’s ops channel', () => {
      const shared = (defaultEnvironment?: string) => {
        const support = { slack: 'C09SHARED' };
        const { prod, staging } = testConfigInput.environments;
        return testConfig({
          ...(defaultEnvironment !== undefined && { defaultEnvironment }),
          environments: {
            prod: { ...prod, channels: { ...prod.channels, support } },
            staging: { ...staging, channels: { ...staging.channels, support } },
            generic: { ...staging, stack: 'generic', channels: { support } },
          },
        });
      };

      it('asks for --env and offers each environment of that channel', async () => {
        const { dispatcher, seen } = setup(undefined, shared());
        const reply = await dispatcher.dispatch(
          event('logs backend', { channelId: 'C09SHARED', userId: 'U04DAVE' }),
        );
        expect(reply.title).toBe(
          'Which environment? This channel is not the command channel of any environment; it serves prod, staging, generic.',
        );
        expect(reply.blocks).toEqual([
          {
            kind: 'text',
            text: 'Did you mean `/tas logs backend --env prod` or `/tas logs backend --env staging` or `/tas logs backend --env generic`?',
          },
        ]);
        expect(seen).toHaveLength(0);
      });

      it('does not fall back to the default environment', async () => {
        const { dispatcher, seen } = setup(undefined, shared('prod'));
        const reply = await dispatcher.dispatch(
          event('logs backend', { channelId: 'C09SHARED', userId: 'U04DAVE' }),
        );
        expect(reply.title).toMatch(/^Which environment\?/);
        expect(seen).toHaveLength(0);
      });

      it('runs the command in the environment named with --env', async () => {
        const { dispatcher, seen } = setup(undefined, shared());
        await dispatcher.dispatch(
          event('logs backend --env staging', { channelId: 'C09SHARED', userId: 'U04DAVE' }),
        );
        expect(seen[0]?.environment).toBe('staging');
      });

      it('does not default to the environment even when only it names the channel', async () => {
        const { dispatcher, seen } = setup();
        const reply = await dispatcher.dispatch(event('logs backend', { channelId: 'C02SUP' }));
        expect(reply.blocks).toEqual([
          { kind: 'text', text: 'Did you mean `/tas logs backend --env prod`?' },
        ]);
        expect(seen).toHaveLength(0);
      });
    });

    it('asks which environment in a channel that belongs to none', async () => {
      const { dispatcher } = setup();
      const reply = await dispatcher.dispatch(event('logs backend', { channelId: 'C99RANDOM' }));
      expect(reply.title).toBe('Which environment? This channel belongs to none.');
    });
  });

  describe('authorization', () => {
    it('refuses a role that may not read in that environment and names who may', async () => {
      const { dispatcher, seen } = setup();
      const reply = await dispatcher.dispatch(event('status staging'));
      expect(reply.title).toBe('You may not read in `staging`.');
      expect(reply.blocks).toEqual([{ kind: 'text', text: 'Allowed roles: lead.' }]);
      expect(seen).toHaveLength(0);
    });

    it('denies a person with no role at all', async () => {
      const { dispatcher, seen } = setup();
      const reply = await dispatcher.dispatch(event('logs backend', { userId: 'U07MALLORY' }));
      expect(reply.title).toBe('You may not read in `prod`.');
      expect(seen).toHaveLength(0);
    });

    it('grants a role through a Discord role id mapped in config', async () => {
      const { dispatcher, seen } = setup();
      await dispatcher.dispatch(
        event('status staging', {
          platform: 'discord',
          userId: '111111111111111111',
          channelId: '222222222222222222',
          platformRoles: ['999999999999999999'],
        }),
      );
      expect(seen[0]?.identity.roles.has('lead')).toBe(true);
    });
  });

  describe('a button click', () => {
    it('runs the same command as typing it', async () => {
      const { dispatcher, seen } = setup();
      await dispatcher.dispatch(
        event('', { userId: 'U04DAVE', action: { verb: 'approve', requestId: 'r-123' } }),
      );
      expect(seen[0]?.args.positional).toEqual(['r-123']);
    });
  });

  describe('the error boundary', () => {
    it('answers a user error verbatim', async () => {
      const { dispatcher } = setup(() =>
        Promise.reject(
          new UserError('UNKNOWN_SERVICE', 'There is no service `backnd`.', ['Services: backend.']),
        ),
      );
      const reply = await dispatcher.dispatch(event('logs backnd'));
      expect(reply.title).toBe('There is no service `backnd`.');
      expect(reply.blocks).toEqual([{ kind: 'text', text: 'Services: backend.' }]);
    });

    it('names the dependency that is down', async () => {
      const { dispatcher } = setup(() =>
        Promise.reject(
          new DependencyError('docker', 'Docker at unix:///x.sock is unreachable (ENOENT)'),
        ),
      );
      const reply = await dispatcher.dispatch(event('logs backend'));
      expect(reply.title).toBe('Docker is not answering, so I could not finish `/tas logs`.');
      expect(reply.blocks).toEqual([
        { kind: 'text', text: 'Docker at unix:///x.sock is unreachable (ENOENT) (ref ref42)' },
      ]);
    });

    it('hides internal details behind a correlation id and logs them', async () => {
      const { dispatcher, entries } = setup(() =>
        Promise.reject(new TypeError('cannot read x of undefined')),
      );
      const reply = await dispatcher.dispatch(event('logs backend'));
      expect(reply.title).toBe('Something went wrong on my side (ref ref42).');
      expect(JSON.stringify(reply)).not.toContain('cannot read');
      const logged = entries.find((e) => e.level === 'error');
      expect(logged).toMatchObject({ ref: 'ref42', eventId: 'ev1', msg: 'command failed' });
      expect((logged?.err as Error).message).toBe('cannot read x of undefined');
    });
  });

  it('redacts every reply on its way out, data included', async () => {
    const { dispatcher } = setup();
    const reply = await dispatcher.dispatch(event('logs backend'));
    expect(JSON.stringify(reply)).not.toMatch(/hunter2|xoxb-/);
    expect(reply.blocks[0]).toEqual({ kind: 'excerpt', lines: ['password=[REDACTED] in a log'] });
  });
});
