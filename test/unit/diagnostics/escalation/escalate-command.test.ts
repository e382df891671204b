import { describe, expect, it } from 'vitest';
import { configDirectory } from '../../../../src/commands/config-directory.js';
import { requestPolicies } from '../../../../src/operations/request-policies.js';
import { escalateCommand, type EscalateCommandDeps } from '../../../../src/commands/escalate.js';
import type { ChatEvent } from '../../../../src/core/chat-event.js';
import { createDispatcher } from '../../../../src/core/dispatcher.js';
import { authorize } from '../../../../src/core/middleware/authorize.js';
import { identify } from '../../../../src/core/middleware/identify.js';
import { resolveCommand } from '../../../../src/core/middleware/resolve-command.js';
import type { Reply } from '../../../../src/core/reply.js';
import { checkStatus } from '../../../../src/diagnostics/status/check-status.js';
import { createRedactor } from '../../../../src/lib/redact.js';
import { captureLogger } from '../../../fakes/capture-logger.js';
import { testConfig, testConfigInput } from '../../../fakes/test-config.js';
import { inMemoryAuditLog } from '../../audit/in-memory-audit-log.js';
import { fakeProber, service } from '../status/status-fakes.js';
import {
  fakeLogPlatform,
  fixedClock,
  inMemoryWatchStore,
  openRequests,
  refused,
  SECRET_LINES,
  SECRETS,
} from './escalation-fakes.js';

const event = (text: string, overrides: Partial<ChatEvent> = {}): ChatEvent => ({
  id: 'ev1',
  platform: 'slack',
  userId: 'U01ALICE',
  channelId: 'C01OPS',
  text,
  receivedAt: fixedClock.now(),
  ...overrides,
});

function setup(options: { support?: boolean; notifier?: boolean } = {}) {
  const prod = testConfigInput.environments.prod;
  const config = testConfig({
    environments: {
      ...testConfigInput.environments,
      prod: {
        ...prod,
        channels: options.support === false ? { ops: prod.channels.ops } : prod.channels,
        watch: { every: '1m' },
      },
    },
  });
  const env = config.environments.prod!;
  const listing = [
    service('backend-cron'),
    service('backend', { running: 0 }),
    service('frontend'),
  ];
  const platform = fakeLogPlatform(listing, { backend: [refused(1), refused(2), ...SECRET_LINES] });
  const notifier = { posts: [] as { environment: string; channel: string; reply: Reply }[] };
  const audit = inMemoryAuditLog(fixedClock);
  const watchState = inMemoryWatchStore({
    prod: {
      environment: 'prod',
      verdict: 'DOWN',
      verdictSince: '2026-12-01T08:20:00.000Z',
      problems: [],
      consecutiveFailures: 10,
      firstFailureAt: '2026-12-01T08:19:00.000Z',
      escalations: 1,
      lastEscalationAt: '2026-12-01T08:21:00.000Z',
      checks: 12,
    },
  });
  const deps: EscalateCommandDeps = {
    config,
    clock: fixedClock,
    checkStatus: (name) =>
      checkStatus({ platform, prober: fakeProber(), clock: fixedClock }, env, name),
    platformFor: () => platform,
    ...(options.notifier !== false && {
      notifier: {
        card: () => Promise.resolve(),
        thread: () => Promise.resolve(),
        channel: (environment, channel, reply) => {
          notifier.posts.push({ environment, channel, reply });
          return Promise.resolve();
        },
      },
    }),
    audit,
    requests: openRequests([]),
    watchState,
    redact: createRedactor([]),
    newId: () => 'beef',
  };
  const directory = configDirectory(config);
  const commands = [escalateCommand(deps)];
  const { log } = captureLogger();
  const dispatcher = createDispatcher({
    slash: '/tas',
    log,
    redact: createRedactor([]),
    middleware: [
      identify(directory),
      resolveCommand(commands, directory, '/tas'),
      authorize(directory, requestPolicies(config)),
    ],
  });
  return { dispatcher, posts: notifier.posts, audit };
}

describe('escalateCommand', () => {
  describe('when the environment has a support channel', () => {
    it('posts the summary with both reports to support and answers with a notice', async () => {
      const { dispatcher, posts } = setup();
      const reply = await dispatcher.dispatch(
        event('escalate "users see 502" --user jnovak --case CASE-4711'),
      );

      expect(posts).toHaveLength(1);
      const post = posts[0]!;
      expect(post).toMatchObject({ environment: 'prod', channel: 'support' });
      expect(post.reply.title).toBe('Escalation: prod is DOWN: users see 502');
      expect(post.reply.attachments?.map((a) => [a.filename, a.contentType])).toEqual([
        ['esc-prod-20261201T083000Z-beef.md', 'text/markdown'],
        ['esc-prod-20261201T083000Z-beef.json', 'application/json'],
      ]);
      const json = JSON.parse(post.reply.attachments?.[1]?.content ?? '') as {
        problem: Record<string, string>;
        requestedBy: string;
      };
      expect(json.problem).toMatchObject({
        description: 'users see 502',
        affectedUser: 'jnovak',
        caseId: 'CASE-4711',
        startedAt: '2026-12-01T08:19:00.000Z',
      });
      expect(json.requestedBy).toBe('alice');
      expect(post.reply.blocks[0]).toEqual({
        kind: 'fields',
        fields: [
          { label: 'Environment', value: 'prod' },
          { label: 'Version', value: 'unknown' },
          { label: 'Since', value: '2026-12-01 08:19:00 UTC' },
          { label: 'Escalated by', value: 'alice' },
        ],
      });

      expect(reply.title).toBe(
        'Escalated prod to support: DOWN (report esc-prod-20261201T083000Z-beef)',
      );
      expect(reply.attachments).toBeUndefined();
      const all = JSON.stringify([reply, post.reply]);
      for (const secret of SECRETS) expect(all, secret).not.toContain(secret);
    });

    it('records an escalation entry in the audit trail, by the requester', async () => {
      const { dispatcher, audit } = setup();
      await dispatcher.dispatch(event('escalate users see 502'));
      expect(audit.entries.map((e) => [e.kind, e.actor, e.summary])).toEqual([
        ['escalation', 'alice', 'escalated to support (DOWN): users see 502'],
      ]);
      expect(audit.entries[0]?.details).toMatchObject({
        reportId: 'esc-prod-20261201T083000Z-beef',
        trigger: 'command',
        posted: true,
      });
    });
  });

  describe('when the environment has no support channel', () => {
    it('posts nothing and hands the report to the requester instead', async () => {
      const { dispatcher, posts, audit } = setup({ support: false });
      const reply = await dispatcher.dispatch(event('escalate'));
      expect(posts).toEqual([]);
      expect(reply.title).toBe(
        'Not escalated: prod has no support channel in the config (channels.support), so nothing was posted.',
      );
      expect(reply.attachments).toHaveLength(2);
      expect(audit.entries[0]?.details).toMatchObject({ posted: false });
    });
  });

  describe('when the bot runs without Redis', () => {
    it('hands the report to the requester, saying it cannot post', async () => {
      const { dispatcher } = setup({ notifier: false });
      const reply = await dispatcher.dispatch(event('escalate'));
      expect(reply.title).toBe(
        'Not escalated: The bot runs without Redis, so it cannot post to other channels.',
      );
      expect(reply.attachments).toHaveLength(2);
    });
  });

  describe('when the person may not escalate', () => {
    it('refuses before building anything', async () => {
      const { dispatcher, posts } = setup();
      const reply = await dispatcher.dispatch(event('escalate', { userId: 'U07MALLORY' }));
      expect(reply.title).toBe('You may not escalate in `prod`.');
      expect(posts).toEqual([]);
    });
  });
});
