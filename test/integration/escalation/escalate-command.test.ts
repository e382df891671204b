import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENVIRONMENT,
  PROBE_TOKEN,
  startWatchHarness,
  SUPPORT_CHANNEL,
  type WatchHarness,
} from '../../support/watch-harness.js';

/** Every credential the fixture backend logs (test/fixtures/stack/bin/backend.sh), and the config's probe token. */
const SECRETS = [
  'hunter2secret',
  'S3cretPass',
  'xoxb-123456789012',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'abcDEF123_-x',
  PROBE_TOKEN,
];

/** What TAS support asks for, then the log section's affected user and case id (docs/runbooks/tas-escalation.md), as the report names them. */
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

interface Report {
  checklist: { item: string; value: string; known: boolean }[];
  problem: { description: string; startedAt: string };
  logs: { service: string; lines: string[] }[];
  probes: { name: string; detail: string }[];
  requestedBy: string;
}

describe('/tas escalate, on the real swarm', () => {
  let h: WatchHarness;
  beforeAll(async () => {
    // The watcher runs so the report knows when the problem started; it never escalates itself here.
    h = await startWatchHarness({ every: '1s', confirm: 2, escalateAfter: 1000 });
    await h.startWatching(1);
    await h.moreChecks(2);
    h.probe.setHealthy(false);
    await h.waitFor(
      'the watcher seeing the failure',
      async () => (await h.watchState())?.firstFailureAt,
    );
  }, 180_000);
  afterAll(async () => {
    // Undefined when the harness could not start (the error above names what was missing).
    await (h as WatchHarness | undefined)?.close();
  });

  it('posts the bundle with the description to support and answers with a notice', async () => {
    const reply = await h.say('alice', '/tas escalate "users see 502"');
    expect(reply.title).toMatch(
      /^Escalated prod to support: DOWN \(report esc-prod-\d{8}T\d{6}Z-[0-9a-f]{4}\)$/,
    );

    const posted = await h.waitFor(
      'the bundle in the support channel',
      () => h.posts(SUPPORT_CHANNEL)[0],
    );
    expect(posted.reply.title).toBe('Escalation: prod is DOWN: users see 502');
    const markdown =
      posted.reply.attachments?.find((a) => a.contentType === 'text/markdown')?.content ?? '';
    const report = JSON.parse(
      posted.reply.attachments?.find((a) => a.contentType === 'application/json')?.content ?? '',
    ) as Report;
    expect(report.problem.description).toBe('users see 502');
    expect(report.requestedBy).toBe('alice');
    expect(report.problem.startedAt).toBe((await h.watchState())?.firstFailureAt);
    expect(report.logs.find((l) => l.service === 'backend')?.lines.join('\n')).toContain(
      'ECONNREFUSED',
    );
    expect(report.probes.find((p) => p.name === 'readiness')?.detail).toMatch(/^503 /);
    expect(markdown).toContain('| Description of the problem | users see 502 |');

    const trail = await h.core.audit!.recent(10, {
      environment: ENVIRONMENT,
      kinds: ['escalation'],
    });
    expect(trail.map((e) => [e.actor, e.summary])).toEqual([
      ['alice', 'escalated to support (DOWN): users see 502'],
    ]);
  });

  it('leaves no item support asks for silently missing: each is a value or says unknown and why', async () => {
    await h.say('alice', '/tas escalate users see 502 --case CASE-4711');
    const posted = await h.waitFor('a second bundle', () => h.posts(SUPPORT_CHANNEL)[1]);
    const markdown =
      posted.reply.attachments?.find((a) => a.contentType === 'text/markdown')?.content ?? '';
    const report = JSON.parse(
      posted.reply.attachments?.find((a) => a.contentType === 'application/json')?.content ?? '',
    ) as Report;

    expect(report.checklist.map((c) => c.item)).toEqual(RUNBOOK_ITEMS);
    for (const item of report.checklist) {
      expect(item.value, item.item).not.toBe('');
      if (!item.known) expect(item.value, item.item).toMatch(/^unknown \(.+\)$/);
      expect(markdown, item.item).toContain(`| ${item.item} |`);
    }
    expect(report.checklist.filter((c) => !c.known).map((c) => c.item)).toEqual([
      'Steps to reproduce',
      'Affected user',
    ]);
    expect(report.checklist.find((c) => c.item === 'Case or task ID')?.value).toBe('CASE-4711');
    expect(report.checklist.find((c) => c.item === 'Database in the Docker stack')?.value).toBe(
      'no, it runs outside the Docker stack',
    );
  });

  it('lets no secret from the logs or the config into the summary or either report', () => {
    const everything = JSON.stringify(h.posts(SUPPORT_CHANNEL).map((d) => d.reply));
    expect(everything).toContain('[REDACTED');
    for (const secret of SECRETS) expect(everything, secret).not.toContain(secret);
  });
});
