import { describe, expect, it } from 'vitest';
import type { AuditLog } from '../../../../src/audit/audit-log.js';
import type { ServiceState } from '../../../../src/core/ports/container-platform.js';
import type { WatchState } from '../../../../src/core/ports/watch-state-store.js';
import {
  buildEscalationReport,
  type EscalationInput,
} from '../../../../src/diagnostics/escalation/build-escalation-report.js';
import { escalationReply } from '../../../../src/diagnostics/escalation/escalation-reply.js';
import type { EscalationReport } from '../../../../src/diagnostics/escalation/escalation-report.js';
import { REPORT_BUDGETS } from '../../../../src/diagnostics/escalation/report-budgets.js';
import { renderMarkdown } from '../../../../src/diagnostics/escalation/render-markdown.js';
import { checkStatus } from '../../../../src/diagnostics/status/check-status.js';
import { createRedactor } from '../../../../src/lib/redact.js';
import { inMemoryAuditLog } from '../../audit/in-memory-audit-log.js';
import { environment, fakePlatform, fakeProber, service } from '../status/status-fakes.js';
import { task } from '../status/tasks.js';
import {
  fakeLogPlatform,
  fixedClock,
  NOW,
  openRequests,
  pendingRestart,
  refused,
  SECRET_LINES,
  SECRETS,
} from './escalation-fakes.js';

const CONFIG_SECRET = 'probe-secret-value';
const redact = createRedactor([CONFIG_SECRET]);

const FACTS = {
  product: 'TAS',
  version: '5.15',
  database: 'PostgreSQL 16',
  os: 'Debian 12',
  databaseInStack: false,
  datacenter: 'Prague',
};

const env = (overrides: Record<string, unknown> = {}) =>
  environment({
    url: 'https://tas.example.com',
    facts: FACTS,
    probes: [
      {
        name: 'readiness',
        url: 'https://tas.example.com/api/status/readiness',
        service: 'backend',
      },
      { name: 'search', url: 'https://tas.example.com/api/search', severity: 'degraded' },
    ],
    watch: { every: '1m' },
    ...overrides,
  });

const listing = (): ServiceState[] => [
  service('backend-cron', {
    running: 0,
    tasks: [task('starting', 0), task('failed', 20), task('failed', 60), task('failed', 100)],
  }),
  service('backend'),
  service('frontend'),
  service('redis', { desired: 0, running: 0, tasks: [] }),
];

const failingReadiness = {
  readiness: {
    outcome: 'fail' as const,
    status: 503,
    detail: '503 {"status":"UNAVAILABLE"}',
    body: `{"status":"UNAVAILABLE","token":"${CONFIG_SECRET}"}`,
  },
};

async function snapshotOf(
  e = env(),
  services = listing(),
  probes: Parameters<typeof fakeProber>[0] = failingReadiness,
) {
  return checkStatus(
    { platform: fakePlatform(services), prober: fakeProber(probes), clock: fixedClock },
    e,
    'prod',
  );
}

async function auditWithRestart(): Promise<AuditLog> {
  const audit = inMemoryAuditLog(fixedClock);
  const base = {
    environment: 'prod',
    requestId: 'r111111',
    operation: 'restart',
    service: 'backend',
  } as const;
  await audit.append({ ...base, kind: 'request', actor: 'alice', summary: 'restart backend' });
  await audit.append({ ...base, kind: 'vote', actor: 'dave', summary: 'approved' });
  await audit.append({ ...base, kind: 'start', actor: 'system', summary: 'execution started' });
  await audit.append({
    ...base,
    kind: 'result',
    actor: 'system',
    summary: 'done',
    details: { ok: true },
  });
  await audit.append({
    ...base,
    kind: 'verification',
    actor: 'system',
    summary: 'verified',
    details: { ok: true },
  });
  return audit;
}

const watching = (overrides: Partial<WatchState> = {}): WatchState => ({
  environment: 'prod',
  verdict: 'DOWN',
  verdictSince: '2026-12-01T08:21:00.000Z',
  problems: [],
  consecutiveFailures: 9,
  firstFailureAt: '2026-12-01T08:21:00.000Z',
  escalations: 0,
  lastCheckAt: '2026-12-01T08:29:00.000Z',
  lastVerdict: 'DOWN',
  checks: 30,
  ...overrides,
});

const backendLogs = () => [...Array.from({ length: 30 }, (_, n) => refused(n)), ...SECRET_LINES];

async function build(
  overrides: Partial<EscalationInput> = {},
  deps: { audit?: AuditLog; logs?: Record<string, readonly string[] | Error> } = {},
) {
  const e = overrides.env ?? env();
  const platform = fakeLogPlatform(
    listing(),
    deps.logs ?? {
      backend: backendLogs(),
      'backend-cron': ['cron failure: job exited 1'],
      redis: [],
    },
  );
  const report = await buildEscalationReport(
    {
      platform,
      redact,
      clock: fixedClock,
      newId: () => 'abcd',
      ...(deps.audit !== undefined && { audit: deps.audit }),
      requests: openRequests([pendingRestart()]),
    },
    {
      environment: 'prod',
      env: e,
      snapshot: overrides.snapshot ?? (await snapshotOf(e)),
      trigger: 'command',
      requestedBy: 'alice',
      description: 'users see 502',
      watch: watching(),
      ...overrides,
    },
  );
  return { report, platform };
}

const everything = (report: EscalationReport) => {
  const reply = escalationReply(report);
  return [
    JSON.stringify(report),
    renderMarkdown(report),
    JSON.stringify(reply),
    ...(reply.attachments ?? []).map((a) => a.content),
  ].join('\n');
};

const RUNBOOK_ITEMS = [
  'Environment name',
  'Environment URL',
  'TAS version',
  'Database type and version',
  'Operating system',
  'Database in the Docker stack',
  'Description of the problem',
  'Time the problem occurred',
  'Steps to reproduce',
  'Affected user',
  'Case or task ID',
  'Relevant logs',
  'Recent infrastructure changes',
  'Last deploy or restart',
  'Status of Docker services',
  'Output of status routes',
  'Who is handling it',
];

describe('buildEscalationReport', () => {
  describe('when everything is known', () => {
    it('fills every item support asks for, in the runbook order', async () => {
      const { report } = await build(
        { stepsToReproduce: 'open any case', affectedUser: 'jnovak', caseId: 'CASE-4711' },
        { audit: await auditWithRestart() },
      );
      expect(report.checklist.map((c) => c.item)).toEqual(RUNBOOK_ITEMS);
      expect(report.checklist.filter((c) => !c.known)).toEqual([]);
      const value = (item: string) => report.checklist.find((c) => c.item === item)?.value;
      expect(value('Environment URL')).toBe('https://tas.example.com');
      expect(value('TAS version')).toBe('5.15');
      expect(value('Database type and version')).toBe('PostgreSQL 16');
      expect(value('Operating system')).toBe('Debian 12');
      expect(value('Database in the Docker stack')).toBe('no, it runs outside the Docker stack');
      expect(value('Description of the problem')).toBe('users see 502');
      expect(value('Time the problem occurred')).toBe(
        '2026-12-01 08:21:00 UTC (the first failed check the watcher saw; 9 failed checks in a row)',
      );
      expect(value('Recent infrastructure changes')).toMatch(
        /^1 operation through the bot, newest: restart backend by alice at 2026-12-01 08:30:00 UTC \(succeeded \(verified\)\)/,
      );
      expect(value('Last deploy or restart')).toMatch(
        /^restart backend requested by alice, approved by dave at .* \(succeeded \(verified\)\); newest running task: /,
      );
      expect(value('Output of status routes')).toBe(
        'readiness: 503 {"status":"UNAVAILABLE"}; search: 200 OK; see Probes',
      );
      expect(value('Who is handling it')).toBe(
        'alice; open operations: restart backend by bob (pending)',
      );
      expect(report.facts.other).toEqual({ datacenter: 'Prague' });
    });

    it('shows the status table with restart history and every probe with its body', async () => {
      const { report } = await build();
      const cron = report.status.services.find((s) => s.name === 'backend-cron');
      expect(cron).toMatchObject({
        health: 'down',
        replicas: '0/1',
        restartHistory: { inLoop: true, failuresInWindow: 3, lastError: 'task: non-zero exit (1)' },
      });
      expect(cron?.restartHistory.recentFailures).toHaveLength(3);
      expect(report.probes.map((p) => [p.name, p.outcome, p.detail, p.service])).toEqual([
        ['readiness', 'fail', '503 {"status":"UNAVAILABLE"}', 'backend'],
        ['search', 'ok', '200 OK', undefined],
      ]);
      expect(report.probes[0]?.body).toBe('{"status":"UNAVAILABLE","token":"[REDACTED]"}');
    });
  });

  describe('when facts, description and the watcher are missing', () => {
    it('says unknown, and why, for each missing item instead of leaving it out', async () => {
      const bare = environment({ probes: [] });
      const { report } = await build({
        env: bare,
        description: '   ',
        watch: undefined as unknown as WatchState,
        snapshot: await snapshotOf(bare, listing(), {}),
      });
      expect(report.checklist.map((c) => c.item)).toEqual([
        'Environment name',
        'Environment URL',
        'Product version',
        ...RUNBOOK_ITEMS.slice(3),
      ]);
      const unknown = Object.fromEntries(
        report.checklist.filter((c) => !c.known).map((c) => [c.item, c.value]),
      );
      expect(unknown).toEqual({
        'Environment URL': 'unknown (no url in the config for this environment)',
        'Product version':
          'unknown (no facts.version in the config; images running: backend registry.example/tas/backend:5.15.2, frontend registry.example/tas/frontend:5.15.2)',
        'Database type and version': 'unknown (no facts.database in the config)',
        'Operating system': 'unknown (no facts.os in the config)',
        'Database in the Docker stack': 'unknown (no facts.databaseInStack in the config)',
        'Description of the problem': 'unknown (none given)',
        'Time the problem occurred':
          'unknown (the watcher does not watch this environment (no watch in the config))',
        'Steps to reproduce': 'unknown (none given)',
        'Affected user': 'unknown (none given)',
        'Case or task ID': 'unknown (none given)',
        'Recent infrastructure changes':
          'unknown (there is no audit trail (the bot runs without Redis); changes made outside the bot (docker CLI, deploy pipelines, host updates) are not recorded here)',
        'Output of status routes': 'unknown (no probes configured for this environment)',
      });
      expect(report.facts).toMatchObject({
        version: 'unknown',
        database: 'unknown',
        os: 'unknown',
        databaseInStack: 'unknown',
      });
      expect(report.problem).toMatchObject({
        description: 'unknown',
        startedAt: 'unknown',
        stepsToReproduce: 'unknown',
      });
    });

    it('says the watcher has seen no failure when its checks were OK', async () => {
      const { report } = await build({
        watch: watching({
          verdict: 'OK',
          lastVerdict: 'OK',
          consecutiveFailures: 0,
          firstFailureAt: undefined as unknown as string,
        }),
      });
      expect(report.problem.startedAt).toBe('unknown');
      expect(report.problem.startedAtNote).toBe(
        'the watcher has seen no failed check; newest check 2026-12-01 08:29:00 UTC: OK',
      );
    });
  });

  describe('logs', () => {
    it('reads the unhealthy services and the service behind a failing probe, not the healthy ones', async () => {
      const { report, platform } = await build();
      expect(report.logs.map((l) => [l.service, l.reason])).toEqual([
        ['backend-cron', 'down: restart loop (3 failed tasks in 10m): task: non-zero exit (1)'],
        ['backend', 'probe readiness failed: 503 {"status":"UNAVAILABLE"}'],
        ['redis', 'stopped: scaled to 0'],
      ]);
      expect(platform.read.sort()).toEqual(['backend', 'backend-cron', 'redis']);
      const backend = report.logs.find((l) => l.service === 'backend');
      expect(backend?.patternCounts.find((p) => p.name === 'ECONNREFUSED')?.count).toBe(30);
      expect(backend?.topRepeated[0]).toMatchObject({ count: 30 });
      expect(backend?.lines.join('\n')).toContain('ECONNREFUSED');
    });

    it('reads every deployed service when nothing is marked unhealthy', async () => {
      const healthy = listing().map((s) => ({
        ...s,
        desired: 1,
        running: 1,
        tasks: [task('running', 3600)],
      }));
      const { report } = await build({ snapshot: await snapshotOf(env(), healthy, {}) });
      expect(report.logs.map((l) => l.service)).toEqual([
        'backend-cron',
        'backend',
        'frontend',
        'redis',
      ]);
      expect(report.logs[0]?.reason).toBe(
        'nothing is marked unhealthy, so every deployed service is shown',
      );
    });

    it('keeps the other services when one cannot be read', async () => {
      const { report } = await build(
        {},
        {
          logs: { backend: new Error('socket hang up'), 'backend-cron': ['Cron failure: exit 1'] },
        },
      );
      expect(report.logs.find((l) => l.service === 'backend')?.error).toBe(
        'could not read the logs: socket hang up',
      );
      expect(report.logs.find((l) => l.service === 'backend-cron')?.matchedLines).toBe(1);
      expect(report.checklist.find((c) => c.item === 'Relevant logs')?.known).toBe(true);
    });

    it('gives each service its own share, so a noisy one cannot crowd out the rest', async () => {
      const noisy = Array.from(
        { length: 5000 },
        (_, n) =>
          `{"level":50,"msg":"ERROR unique failure ${n} ${'x'.repeat(300)} ${n.toString(36)}"}`,
      );
      const { report } = await build(
        {},
        { logs: { 'backend-cron': noisy, backend: backendLogs(), redis: ['ERROR redis gone'] } },
      );
      const share = REPORT_BUDGETS.logs / 3;
      for (const log of report.logs)
        expect(log.lines.join('\n').length, log.service).toBeLessThanOrEqual(share);
      const cron = report.logs.find((l) => l.service === 'backend-cron');
      expect(cron?.omittedLines).toBeGreaterThan(0);
      expect(report.logs.find((l) => l.service === 'backend')?.lines.join('\n')).toContain(
        'ECONNREFUSED',
      );
      expect(report.logs.find((l) => l.service === 'redis')?.lines.join('\n')).toContain(
        'redis gone',
      );
      const markdown = renderMarkdown(report);
      expect(markdown.length).toBeLessThan(110_000);
      expect(markdown).toContain('redis gone');
      expect(markdown).toContain('## Recent changes (audit trail)');
    });
  });

  describe('redaction', () => {
    it('lets no credential from logs, probe bodies or the config into any part of the bundle', async () => {
      const { report } = await build(
        { description: `users see 502, my password=${'hunter2secret'}` },
        { audit: await auditWithRestart() },
      );
      const all = everything(report);
      for (const secret of [...SECRETS, CONFIG_SECRET]) expect(all, secret).not.toContain(secret);
      expect(all).toContain('[REDACTED');
    });

    it('redacts a description and a probe body before cutting them to their budgets', async () => {
      // Each secret crosses its section's end: cut first, only its first half would be left,
      // which no exact value and no shape recognises. Redacted first, the marker fits.
      const description = `${'x'.repeat(REPORT_BUDGETS.userText - 15)} ${CONFIG_SECRET}`;
      const body = `{"status":"DOWN","note":"${'y'.repeat(REPORT_BUDGETS.probeBody - 43)} ${CONFIG_SECRET} end"}`;
      const e = env();
      const snapshot = await snapshotOf(e, listing(), {
        readiness: { outcome: 'fail', status: 503, detail: '503', body },
      });

      const { report } = await build({ env: e, snapshot, description });

      const half = CONFIG_SECRET.slice(0, 8);
      expect(report.problem.description).toContain(' [REDACTED]');
      expect(report.problem.description).not.toContain(half);
      const probe = report.probes.find((p) => p.name === 'readiness');
      expect(probe?.body).toContain(' [REDACTED] end');
      expect(everything(report)).not.toContain(half);
    });
  });

  describe('recent changes and handling', () => {
    it('lists operations from the audit trail with who asked, who approved and how it ended', async () => {
      const { report } = await build({}, { audit: await auditWithRestart() });
      expect(report.recentChanges.operations).toEqual([
        {
          at: NOW.toISOString(),
          operation: 'restart',
          service: 'backend',
          requestedBy: 'alice',
          approvedBy: ['dave'],
          outcome: 'succeeded (verified)',
          requestId: 'r111111',
        },
      ]);
      expect(report.handling.openOperations).toEqual([
        {
          id: 'r0a1b2c',
          operation: 'restart',
          target: 'backend',
          state: 'pending',
          requester: 'bob',
          approvals: [],
          createdAt: '2026-12-01T08:25:00.000Z',
        },
      ]);
      expect(report.handling.previousEscalation).toBe('none recorded');
    });

    it('says so when the audit trail cannot be read', async () => {
      const broken: AuditLog = {
        append: () => Promise.reject(new Error('x')),
        recent: () => Promise.reject(new Error('Redis at 127.0.0.1:6391 is unreachable')),
        all: () => (async function* () {})(),
      };
      const { report } = await build({}, { audit: broken });
      expect(report.recentChanges.unavailable).toBe(
        'the audit trail could not be read: Redis at 127.0.0.1:6391 is unreachable',
      );
      expect(report.checklist.find((c) => c.item === 'Recent infrastructure changes')?.known).toBe(
        false,
      );
    });
  });
});
