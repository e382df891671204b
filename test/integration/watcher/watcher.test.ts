import { afterEach, describe, expect, it } from 'vitest';
import type { Delivered } from '../../fakes/fake-chat-delivery.js';
import { requestIdOf } from '../../support/ops-harness.js';
import {
  ENVIRONMENT,
  OPS_CHANNEL,
  PROBE_TOKEN,
  startWatchHarness,
  SLACK_OPS_CHANNEL,
  SUPPORT_CHANNEL,
  type WatchHarness,
} from '../../support/watch-harness.js';

/** Every credential the fixture backend logs (test/fixtures/stack/bin/backend.sh), and the config's probe token. */
const SECRETS = [
  'hunter2secret',
  'S3cretPass',
  'xoxb-123456789012',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  PROBE_TOKEN,
];

const watcherPosts = (h: WatchHarness) =>
  h.posts(OPS_CHANNEL).filter((d) => d.reply.title.startsWith(`${ENVIRONMENT}: `));
const escalations = (h: WatchHarness) => h.posts(SUPPORT_CHANNEL);
/** The watcher's replies in its incident threads, and the updates of the incidents' first posts. */
const threadReplies = (h: WatchHarness) =>
  h.replies(OPS_CHANNEL).filter((d) => d.reply.title.startsWith(`${ENVIRONMENT}: `));
const summaryUpdates = (h: WatchHarness) => h.updates(OPS_CHANNEL);
/**
 * Watch ticks scheduled after `from` (when the test's own status check had seen the change) up
 * to the check that confirmed `reply`: how many watch intervals on-call waited for it.
 */
const ticksUntil = (h: WatchHarness, from: number, reply: Delivered) => {
  const at = Date.parse((reply.reply.data as { at: string }).at);
  return h.ticks.filter((t) => t.scheduledFor.getTime() > from && t.scheduledFor.getTime() <= at)
    .length;
};
/** Waits until `/tas status` shows frontend failing (or running again); when it returned. */
const frontendSeen = (h: WatchHarness, failing: boolean) =>
  h.waitFor(`frontend ${failing ? 'failing' : 'running'} in status`, async () => {
    const frontend = (await h.checkStatus()).services.find((s) => s.name === 'frontend');
    return frontend !== undefined && (frontend.health !== 'ok') === failing
      ? Date.now()
      : undefined;
  });
/** The notes in incident threads that support was escalated. */
const escalationNotes = (h: WatchHarness) =>
  h.replies(OPS_CHANNEL).filter((d) => d.reply.title === `Escalated ${ENVIRONMENT} to support`);
const attachment = (d: Delivered, type: string) =>
  d.reply.attachments?.find((a) => a.contentType === type)?.content ?? '';

describe('the watcher, on the real swarm', () => {
  let h: WatchHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it(
    'posts one change, escalates once with the failing service’s logs, probe and recent operations, and posts one recovery',
    { timeout: 240_000 },
    async () => {
      h = await startWatchHarness({ every: '1s', confirm: 2, escalateAfter: 3 });
      const harness = h;

      // A real approved restart first, so the audit trail has an operation to report (of tika,
      // which logs no errors, so its verification does not depend on the others' logs).
      const id = requestIdOf(await harness.say('alice', '/tas restart tika'));
      await harness.say('dave', `/tas approve ${id}`);
      await harness.waitFor(
        'the restart verified',
        () => harness.delivered.find((d) => d.reply.title.startsWith('Verified: restart tika')),
        120_000,
      );
      await harness.waitFor('the stack OK after the restart', async () =>
        (await harness.checkStatus()).verdict === 'OK' ? true : undefined,
      );

      await harness.startWatching(1);
      const settled = await harness.moreChecks(3);
      expect(settled).toMatchObject({ verdict: 'OK', consecutiveFailures: 0 });
      expect(watcherPosts(harness)).toEqual([]);

      harness.probe.setHealthy(false);
      const escalation = await harness.waitFor(
        'escalated to support',
        () => escalations(harness)[0],
      );
      const down = await harness.moreChecks(4);
      expect(down).toMatchObject({ verdict: 'DOWN', escalations: 1 });
      expect(down.consecutiveFailures).toBeGreaterThanOrEqual(7);
      expect(watcherPosts(harness).map((d) => d.reply.title)).toEqual([
        `${ENVIRONMENT}: OK → DOWN`,
      ]);
      expect(watcherPosts(harness)[0]?.reply.blocks[0]).toMatchObject({
        kind: 'rows',
        title: 'Now failing',
        rows: [{ label: 'probe readiness', value: expect.stringMatching(/^503 /) as unknown }],
      });
      expect(escalations(harness)).toHaveLength(1);

      expect(escalation.reply.title).toMatch(
        /^Escalation: prod is DOWN: Detected by the watcher: 3 failed checks in a row since /,
      );
      const markdown = attachment(escalation, 'text/markdown');
      const json = JSON.parse(attachment(escalation, 'application/json')) as {
        logs: { service: string; lines: string[]; patternCounts: { name: string }[] }[];
        probes: { name: string; detail: string; body?: string }[];
        recentChanges: {
          operations: {
            operation: string;
            service?: string;
            requestedBy: string;
            approvedBy: string[];
            outcome: string;
          }[];
        };
        checklist: { item: string; known: boolean }[];
        problem: { startedAt: string };
      };
      const backend = json.logs.find((l) => l.service === 'backend');
      expect(backend?.lines.join('\n')).toContain('ECONNREFUSED 127.0.0.1:5432');
      expect(markdown).toContain('connect ECONNREFUSED 127.0.0.1:5432');
      expect(json.probes.find((p) => p.name === 'readiness')).toMatchObject({
        detail: expect.stringMatching(/^503 /) as unknown,
        body: expect.stringContaining('"status":"UNAVAILABLE"') as unknown,
      });
      expect(markdown).toContain('### readiness: fail');
      expect(json.recentChanges.operations[0]).toMatchObject({
        operation: 'restart',
        service: 'tika',
        requestedBy: 'alice',
        approvedBy: ['dave'],
        outcome: expect.stringMatching(/^succeeded/) as unknown,
      });
      expect(markdown).toMatch(/\| restart tika \| alice \| dave \| succeeded[^|]* \|/);
      expect(json.problem.startedAt).not.toBe('unknown');
      const all = JSON.stringify(harness.delivered.map((d) => d.reply));
      for (const secret of SECRETS) expect(all, secret).not.toContain(secret);

      harness.probe.setHealthy(true);
      await harness.waitFor('the recovery posted', () =>
        threadReplies(harness).find((d) => d.reply.title.includes('recovered')),
      );
      const recovered = await harness.moreChecks(4);
      expect(recovered).toMatchObject({ verdict: 'OK', consecutiveFailures: 0, escalations: 0 });
      expect(watcherPosts(harness).map((d) => d.reply.title)).toEqual([
        `${ENVIRONMENT}: OK → DOWN`,
      ]);
      expect(threadReplies(harness).map((d) => d.reply.title)).toEqual([
        expect.stringMatching(/^prod: recovered \(DOWN → OK\) after \d/) as unknown,
      ]);
      // On-call reads in the incident's thread that support has it.
      expect(escalationNotes(harness)).toHaveLength(1);
      expect(escalationNotes(harness)[0]?.target.threadId).toBe(
        threadReplies(harness)[0]?.target.threadId,
      );
      expect(escalations(harness)).toHaveLength(1);
      const trail = await harness.core.audit!.recent(50, {
        environment: ENVIRONMENT,
        kinds: ['escalation'],
      });
      expect(trail.map((e) => [e.actor, e.details?.trigger])).toEqual([['system', 'watcher']]);
    },
  );

  it(
    'reports a service scaled to 0 once, with its own logs, and its return once',
    { timeout: 180_000 },
    async () => {
      h = await startWatchHarness({ every: '1s', confirm: 2, escalateAfter: 3 });
      const harness = h;
      await harness.startWatching(1);
      await harness.moreChecks(3);

      await harness.scale('frontend', 0);
      const escalation = await harness.waitFor(
        'escalated to support',
        () => escalations(harness)[0],
      );
      await harness.moreChecks(3);
      expect(watcherPosts(harness).map((d) => d.reply.title)).toEqual([
        `${ENVIRONMENT}: OK → DEGRADED`,
      ]);
      expect(watcherPosts(harness)[0]?.reply.blocks[0]).toMatchObject({
        title: 'Now failing',
        rows: [{ label: 'frontend', value: expect.stringMatching(/^scaled to 0/) as unknown }],
      });
      expect(escalations(harness)).toHaveLength(1);
      const json = JSON.parse(attachment(escalation, 'application/json')) as {
        logs: { service: string; reason: string; lines: string[] }[];
      };
      expect(json.logs.map((l) => l.service)).toEqual(['frontend']);
      expect(json.logs[0]?.reason).toMatch(/^stopped: scaled to 0/);
      expect(json.logs[0]?.lines.join('\n')).toContain('upstream timed out');

      await harness.scale('frontend', 1);
      await harness.waitFor('the recovery posted', () =>
        threadReplies(harness).find((d) => d.reply.title.includes('recovered')),
      );
      const recovered = await harness.moreChecks(3);
      expect(recovered.verdict).toBe('OK');
      // Starting the task again may pass through DOWN (desired 1, nothing running yet); recovery is posted once.
      expect(
        threadReplies(harness).filter((d) => d.reply.title.includes('recovered')),
      ).toHaveLength(1);
      expect(threadReplies(harness).at(-1)?.reply.title).toMatch(
        /^prod: recovered \((DEGRADED|DOWN) → OK\) after \d/,
      );
      expect(watcherPosts(harness)).toHaveLength(1);
      expect(escalations(harness)).toHaveLength(1);
    },
  );

  it(
    'threads one incident: found DOWN at start, one reply and summary update per change of the failing set, one closing reply',
    { timeout: 240_000 },
    async () => {
      h = await startWatchHarness({
        every: '1s',
        confirm: 2,
        escalateAfter: 1000,
        slack: true,
        discord: true,
      });
      const harness = h;
      harness.probe.setHealthy(false);
      await harness.startWatching(1);

      const opening = await harness.waitFor('the incident opened', () => watcherPosts(harness)[0]);
      expect(opening.reply.title).toBe(`${ENVIRONMENT}: found DOWN at start`);
      expect(JSON.stringify(opening.reply)).not.toContain('OK → DOWN');
      await harness.moreChecks(2);
      expect(threadReplies(harness)).toEqual([]);
      expect(summaryUpdates(harness)).toEqual([]);

      // A second service fails while the environment is already DOWN.
      await harness.scale('frontend', 0);
      const failingSeen = await frontendSeen(harness, true);
      const joined = await harness.waitFor('frontend joined the incident', () =>
        threadReplies(harness).find((d) => d.reply.title.includes('frontend failing')),
      );
      // Within two watch intervals: `confirm` (2) checks after the change was visible.
      expect(ticksUntil(harness, failingSeen, joined)).toBeLessThanOrEqual(2);
      expect(joined.reply.title).toBe(`${ENVIRONMENT}: frontend failing (still DOWN)`);
      expect(joined.target.threadId).toBeDefined();
      await harness.moreChecks(3);
      expect(threadReplies(harness).map((d) => d.reply.title)).toEqual([joined.reply.title]);
      expect(summaryUpdates(harness)).toHaveLength(1);
      const summary = summaryUpdates(harness)[0]!;
      expect(summary.target.ref).toBeDefined();
      expect(summary.reply.title).toMatch(
        /^prod: DOWN: probe readiness, frontend failing since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
      );
      expect(JSON.stringify(summary.reply.blocks)).toContain('Found DOWN at start');

      await harness.scale('frontend', 1);
      const runningSeen = await frontendSeen(harness, false);
      const back = await harness.waitFor('frontend recovered within the incident', () =>
        threadReplies(harness).find((d) => d.reply.title.includes('frontend recovered')),
      );
      expect(ticksUntil(harness, runningSeen, back)).toBeLessThanOrEqual(2);
      expect(back.reply.title).toBe(`${ENVIRONMENT}: frontend recovered (still DOWN)`);
      expect(back.target.threadId).toBe(joined.target.threadId);
      await harness.moreChecks(3);
      expect(threadReplies(harness)).toHaveLength(2);
      expect(summaryUpdates(harness).map((d) => d.reply.title)).toEqual([
        summary.reply.title,
        expect.stringMatching(/^prod: DOWN: probe readiness failing since /) as unknown,
      ]);

      harness.probe.setHealthy(true);
      const closing = await harness.waitFor('the incident closed', () =>
        threadReplies(harness).find((d) => d.reply.title.includes('recovered (DOWN → OK)')),
      );
      expect(closing.target.threadId).toBe(joined.target.threadId);
      expect(closing.reply.title).toMatch(/^prod: recovered \(DOWN → OK\) after \d/);
      await harness.moreChecks(3);
      expect(threadReplies(harness)).toHaveLength(3);
      expect(summaryUpdates(harness).at(-1)?.reply.title).toMatch(
        /^prod: resolved after \d+(\.\d)?[sm].* \(was DOWN\)$/,
      );
      expect(summaryUpdates(harness).every((d) => d.target.ref === summary.target.ref)).toBe(true);
      expect(watcherPosts(harness)).toHaveLength(1);
      expect(escalations(harness)).toEqual([]);

      // The same incident on Slack: one channel message, edited in place, and three thread replies.
      const onSlack = () => harness.slack!.messages.filter((m) => m.channel === SLACK_OPS_CHANNEL);
      const [first, ...rest] = await harness.waitFor('the incident closed on Slack', () => {
        const messages = onSlack();
        return messages.filter((m) => m.thread_ts !== undefined).length >= 3 ? messages : undefined;
      });
      expect(rest.filter((m) => m.thread_ts === undefined)).toEqual([]);
      expect(first?.thread_ts).toBeUndefined();
      expect(first?.history[0]?.text).toContain('found DOWN at start');
      expect(first?.history).toHaveLength(3);
      expect(first?.text).toMatch(/resolved after .*was DOWN/);
      expect(rest.map((m) => m.thread_ts)).toEqual([first?.ts, first?.ts, first?.ts]);
      expect(rest.map((m) => m.text)).toEqual([
        expect.stringContaining('frontend failing (still DOWN)') as unknown,
        expect.stringContaining('frontend recovered (still DOWN)') as unknown,
        expect.stringContaining('recovered (DOWN → OK) after') as unknown,
      ]);

      // And on Discord: one channel message with a thread of its own, edited in place.
      const discord = harness.discord!;
      const opsChannel = harness.discordOps!;
      // The headline, with Discord's markdown escapes taken out.
      const textOf = (json: Record<string, unknown> | undefined) =>
        (typeof json?.content === 'string' ? json.content : '').replace(/\\/g, '');
      const [post, ...others] = await harness.waitFor('the incident closed on Discord', () => {
        const top = discord.channelMessages(opsChannel);
        const thread =
          top[0] === undefined ? [] : discord.channelMessages(top[0].json.id as string);
        return thread.length >= 3 ? top : undefined;
      });
      expect(others).toEqual([]);
      expect(textOf(post?.versions[0])).toContain('found DOWN at start');
      expect(post?.versions).toHaveLength(4);
      expect(textOf(post?.json)).toMatch(/resolved after .*was DOWN/);
      const thread = discord.channelMessages(post?.json.id as string);
      expect(thread.map((m) => textOf(m.json))).toEqual([
        expect.stringContaining('frontend failing (still DOWN)') as unknown,
        expect.stringContaining('frontend recovered (still DOWN)') as unknown,
        expect.stringContaining('recovered (DOWN → OK) after') as unknown,
      ]);
    },
  );

  it(
    'runs one tick per interval and escalates once with two workers at once',
    { timeout: 120_000 },
    async () => {
      h = await startWatchHarness({ every: '1s', confirm: 2, escalateAfter: 3 });
      const harness = h;
      await harness.startWatching(2);
      await harness.moreChecks(3);

      harness.probe.setHealthy(false);
      await harness.waitFor('escalated to support', () => escalations(harness)[0]);
      const state = await harness.moreChecks(6);

      expect(escalations(harness)).toHaveLength(1);
      expect(watcherPosts(harness).map((d) => d.reply.title)).toEqual([
        `${ENVIRONMENT}: OK → DOWN`,
      ]);
      await harness.waitFor(
        'the escalation noted in the thread',
        () => escalationNotes(harness)[0],
      );
      expect(escalationNotes(harness)).toHaveLength(1);
      const ids = harness.ticks.map((t) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      const slots = harness.ticks.map((t) => t.scheduledFor.getTime()).sort((a, b) => a - b);
      const gaps = slots.slice(1).map((slot, i) => slot - (slots[i] ?? 0));
      for (const gap of gaps) {
        expect(gap).toBeGreaterThanOrEqual(1000);
        expect(gap % 1000).toBe(0);
      }
      // Every tick was applied as one check: none ran twice, none was dropped as stale.
      expect(state.checks).toBeLessThanOrEqual(harness.ticks.length);
      expect(harness.ticks.length - state.checks).toBeLessThanOrEqual(1);
    },
  );
});
