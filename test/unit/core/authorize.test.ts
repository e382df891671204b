import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/core/chat-event.js';
import type { Command } from '../../../src/core/command.js';
import { configDirectory } from '../../../src/commands/config-directory.js';
import { createDispatcher } from '../../../src/core/dispatcher.js';
import { authorize } from '../../../src/core/middleware/authorize.js';
import { identify } from '../../../src/core/middleware/identify.js';
import { resolveCommand } from '../../../src/core/middleware/resolve-command.js';
import type { Reply } from '../../../src/core/reply.js';
import { requestPolicies } from '../../../src/operations/request-policies.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { testConfig, testConfigInput } from '../../fakes/test-config.js';

const event = (text: string, userId: string, channelId = 'C01OPS'): ChatEvent => ({
  id: 'ev1',
  platform: 'slack',
  userId,
  channelId,
  text,
  receivedAt: new Date(0),
});

const { prod } = testConfigInput.environments;
// sam (support) holds break-glass for restarts in prod and nothing else.
const config = testConfig({
  environments: {
    ...testConfigInput.environments,
    prod: {
      ...prod,
      policy: {
        ...prod.policy,
        restart: { ...prod.policy.restart, breakGlass: ['support'] },
      },
    },
  },
});

function setup() {
  const ran: string[] = [];
  const restart: Command = {
    name: 'restart',
    summary: 'restart',
    usage: 'restart <service> [--break-glass REASON]',
    flags: [{ name: 'break-glass', type: 'string' }],
    permission: 'restart',
    run(invocation) {
      ran.push(invocation.identity.person);
      return Promise.resolve({ title: 'card', blocks: [] });
    },
  };
  const directory = configDirectory(config);
  const dispatcher = createDispatcher({
    slash: '/tas',
    log: captureLogger().log,
    redact: (text) => text,
    correlationId: () => 'ref1',
    middleware: [
      identify(directory),
      resolveCommand([restart], directory, '/tas'),
      authorize(directory, requestPolicies(config)),
    ],
  });
  return { dispatcher, ran };
}

const codeOf = (reply: Reply) =>
  (reply.data as { error?: { code?: string } } | undefined)?.error?.code;

describe('authorize', () => {
  describe('when a break-glass-only person asks without --break-glass', () => {
    it('refuses before the command runs, as the request path would', async () => {
      const { dispatcher, ran } = setup();
      const reply = await dispatcher.dispatch(event('restart backend', 'U06SAM'));
      expect(codeOf(reply)).toBe('FORBIDDEN');
      expect(reply.title).toBe('You may not request restart in `prod`.');
      expect(ran).toEqual([]);
    });
  });

  describe('when the same person asks with --break-glass', () => {
    it('lets the command run', async () => {
      const { dispatcher, ran } = setup();
      await dispatcher.dispatch(event('restart backend --break-glass "db is down"', 'U06SAM'));
      expect(ran).toEqual(['sam']);
    });
  });

  describe('when a request role asks with --break-glass it does not hold', () => {
    it('refuses, naming the break-glass roles', async () => {
      const { dispatcher, ran } = setup();
      const reply = await dispatcher.dispatch(
        event('restart backend --break-glass "db is down"', 'U01ALICE'),
      );
      expect(codeOf(reply)).toBe('FORBIDDEN');
      expect(reply.title).toBe('Break-glass restart is not open to you in `prod`.');
      expect(ran).toEqual([]);
    });
  });

  describe('when the environment has no policy for the operation', () => {
    it('answers NO_POLICY', async () => {
      const { dispatcher, ran } = setup();
      const reply = await dispatcher.dispatch(event('restart backend', 'U04DAVE', 'C03STG'));
      expect(codeOf(reply)).toBe('NO_POLICY');
      expect(ran).toEqual([]);
    });
  });
});
