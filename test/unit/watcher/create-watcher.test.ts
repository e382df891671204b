import { describe, expect, it } from 'vitest';
import { environmentSchema } from '../../../src/config/schema.js';
import type { Clock } from '../../../src/core/ports/clock.js';
import { checkStatus } from '../../../src/diagnostics/status/check-status.js';
import { createRedactor } from '../../../src/lib/redact.js';
import { createWatcher, watchedEnvironments } from '../../../src/watcher/create-watcher.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { testConfig } from '../../fakes/test-config.js';
import { inMemoryAuditLog } from '../audit/in-memory-audit-log.js';
import {
  fakeLogPlatform,
  inMemoryWatchStore,
  openRequests,
  recordingNotifier,
  refused,
} from '../diagnostics/escalation/escalation-fakes.js';
import { service } from '../diagnostics/status/status-fakes.js';

const START = Date.parse('2026-12-01T08:00:00.000Z');

/** A clock the test moves: one minute per check. */
function manualClock(): Clock & { advance(): void } {
  let now = START;
  return {
    now: () => new Date(now),
    advance() {
      now += 60_000;
    },
  };
}

function setup() {
  const base = testConfig();
  const prod = environmentSchema.parse({
    platform: 'swarm',
    stack: 'prod',
    services: ['backend', 'frontend'],
    probes: [
      {
        name: 'readiness',
        url: 'https://tas.example.com/api/status/readiness',
        service: 'backend',
      },
    ],
    channels: { ops: { slack: 'C01OPS' }, support: { slack: 'C02SUP' } },
    policy: { read: ['oncall'] },
    watch: { every: '1m', escalateAfter: 3, confirm: 2 },
  });
  const config = { ...base, environments: { ...base.environments, prod } };
  const clock = manualClock();
  let readiness: 'ok' | 'fail' | 'refused' = 'ok';
  const platform = fakeLogPlatform([service('backend'), service('frontend')], {
    backend: [refused(1), refused(2)],
  });
  const prober = {
    probe: () =>
      Promise.resolve(
        readiness === 'refused'
          ? {
              name: 'readiness',
              target: 'x',
              outcome: 'fail' as const,
              latencyMs: 3,
              status: 403,
              detail: '403 Forbidden',
              configProblem: 'the check is not authorised — check its headers/credentials',
            }
          : readiness === 'ok'
            ? {
                name: 'readiness',
                target: 'x',
                outcome: 'ok' as const,
                latencyMs: 3,
                detail: '200 OK',
              }
            : {
                name: 'readiness',
                target: 'x',
                outcome: 'fail' as const,
                latencyMs: 3,
                status: 503,
                detail: '503 {"status":"UNAVAILABLE"}',
              },
      ),
  };
  const notifier = recordingNotifier();
  const store = inMemoryWatchStore();
  const audit = inMemoryAuditLog(clock);
  const { log } = captureLogger();
  const watcher = createWatcher({
    config,
    checkStatus: (name) => checkStatus({ platform, prober, clock }, prod, name),
    store,
    notifier,
    platformFor: () => platform,
    audit,
    requests: openRequests([]),
    redact: createRedactor([]),
    clock,
    log,
  });
  const tick = async () => {
    clock.advance();
    return watcher.tick('prod');
  };
  return {
    watcher,
    tick,
    notifier,
    store,
    audit,
    setReadiness: (value: 'ok' | 'fail' | 'refused') => (readiness = value),
  };
}

describe('createWatcher', () => {
  it('opens no incident and escalates nothing while the only problem is a probe the server refuses', async () => {
    const { tick, notifier, setReadiness } = setup();
    await tick();
    setReadiness('refused');
    for (let i = 0; i < 6; i += 1) await tick();
    expect(notifier.posts).toEqual([]);
    setReadiness('fail');
    for (let i = 0; i < 2; i += 1) await tick();
    expect(notifier.posts.map((p) => p.reply.title)).toEqual(['prod: OK → DOWN']);
  });

  it('opens the incident in ops, escalates once to support naming the incident thread and closes it with its duration', async () => {
    const { tick, notifier, setReadiness, audit } = setup();
    await tick();
    await tick();
    expect(notifier.posts).toEqual([]);

    setReadiness('fail');
    for (let i = 0; i < 6; i += 1) await tick();
    const titles = () => notifier.posts.map((p) => `${p.channel}: ${p.reply.title}`);
    expect(titles()).toEqual([
      'ops: prod: OK → DOWN',
      'support: Escalation: prod is DOWN: Detected by the watcher: 3 failed checks in a row since 2026-12-01 08:03:00 UTC: readiness: 503 {"status":"UNAVAILABLE"}. On-call follows it in the i…',
    ]);
    const change = notifier.posts[0]!.reply;
    expect(change.blocks[0]).toEqual({
      kind: 'rows',
      title: 'Now failing',
      rows: [{ label: 'probe readiness', value: '503 {"status":"UNAVAILABLE"}', tone: 'fail' }],
    });
    const report =
      notifier.posts[1]!.reply.attachments?.find((a) => a.contentType === 'text/markdown')
        ?.content ?? '';
    expect(report).toContain(
      '| Time the problem occurred | 2026-12-01 08:03:00 UTC (the first failed check the watcher saw; 3 failed checks in a row) |',
    );
    expect(report).toContain('connect ECONNREFUSED 127.0.0.1:5432');
    expect(report).toContain(
      'On-call follows it in the incident thread in the ops channel, opened 2026-12-01 08:03:00 UTC',
    );
    expect(audit.entries.map((e) => [e.kind, e.actor])).toEqual([['escalation', 'system']]);

    setReadiness('ok');
    for (let i = 0; i < 4; i += 1) await tick();
    expect(titles().slice(2)).toEqual(['ops: prod: recovered (DOWN → OK) after 6m']);
    expect(
      notifier.posts[2]!.reply.blocks.map((b) => (b.kind === 'text' ? b.text : b.kind)),
    ).toEqual([
      'rows',
      'OK since 2026-12-01 08:09:00 UTC, confirmed by 2 checks in a row. The incident began 2026-12-01 08:03:00 UTC and lasted 6m.',
      'Support was escalated during this problem: let them know it has recovered.',
    ]);
  });

  it('takes back an escalation it could not send, so the next tick sends it', async () => {
    const { tick, notifier, setReadiness, store } = setup();
    setReadiness('fail');
    const channel = notifier.channel.bind(notifier);
    await tick();
    await tick();
    notifier.channel = (environment, name, reply) =>
      name === 'support'
        ? Promise.reject(new Error('notify queue is full'))
        : channel(environment, name, reply);
    await expect(tick()).rejects.toThrow('notify queue is full');
    expect(store.states.get('prod')).toMatchObject({ escalations: 0, consecutiveFailures: 3 });
    expect(store.states.get('prod')?.lastEscalationAt).toBeUndefined();

    notifier.channel = channel;
    await tick();
    expect(notifier.posts.map((p) => p.channel)).toEqual(['ops', 'support']);
    expect(store.states.get('prod')).toMatchObject({ escalations: 1, consecutiveFailures: 4 });
  });

  it('skips an environment without watch', async () => {
    const { watcher, notifier } = setup();
    expect(await watcher.tick('staging')).toEqual({
      environment: 'staging',
      skipped: 'not-watched',
      events: [],
    });
    expect(notifier.posts).toEqual([]);
  });

  it('keeps the state when a post fails, and reports the failure to the scheduler', async () => {
    const { tick, notifier, setReadiness, store } = setup();
    setReadiness('fail');
    await tick();
    notifier.channel = () => Promise.reject(new Error('Redis at 127.0.0.1:6391 is unreachable'));
    await expect(tick()).rejects.toThrow('unreachable');
    expect(store.states.get('prod')).toMatchObject({ verdict: 'DOWN', consecutiveFailures: 2 });
  });
});

describe('watchedEnvironments', () => {
  it('lists the environments with watch and their interval', () => {
    const base = testConfig();
    const prod = {
      ...base.environments.prod!,
      watch: { every: 30_000, escalateAfter: 3, confirm: 2 },
    };
    expect(watchedEnvironments({ ...base, environments: { ...base.environments, prod } })).toEqual([
      { name: 'prod', everyMs: 30_000 },
    ]);
  });
});
