import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../stand-ins/slack/slack-state.js';
import {
  SLACK,
  TEST_RETRY,
  startSlackHarness,
  type SlackHarness,
  type SlackMode,
} from '../../support/slack-harness.js';

/** Secrets the fixture backend logs (test/fixtures/stack/bin/backend.sh): none may reach Slack. */
const FIXTURE_SECRETS = [
  'hunter2secret',
  'S3cretPass',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'xoxb-123456789012-123456789012-abcdefABCDEFabcdef',
];

const CARD_TITLE = /^restart ops_(\w+) — waiting for approval \[(r[0-9a-f]{6})\]$/;

function everythingPosted(h: SlackHarness): string {
  const { messages, ephemerals, files, responses } = h.slack;
  return JSON.stringify({ messages, ephemerals, files, responses });
}

/** The audit trail's entries for one request, as `kind:actor`. */
async function trailOf(h: SlackHarness, requestId: string): Promise<string[]> {
  const entries: string[] = [];
  for await (const entry of h.core.audit?.all() ?? [])
    if (entry.requestId === requestId) entries.push(`${entry.kind}:${entry.actor}`);
  return entries;
}

/**
 * What every Slack transport must do, against the stand-in with the real bolt App, the real
 * core, the real swarm and Redis. Run once per mode (slack-adapter.test.ts).
 */
export function slackAdapterContract(mode: SlackMode): void {
  describe(`the Slack adapter in ${mode} mode`, () => {
    let h: SlackHarness;
    beforeAll(async () => {
      h = await startSlackHarness(mode);
    });
    afterAll(async () => {
      await h?.close();
    });

    it('acknowledges /tas status at once with an empty ack and posts the verdict in the channel', async () => {
      const { ack } = await h.slash(SLACK.alice, 'status', SLACK.fix);
      expect(ack).toEqual({ status: 200, payload: {} });
      const answer = await h.message(SLACK.fix, /^fix: (OK|DEGRADED|DOWN)$/);
      expect(answer.thread_ts).toBeUndefined();
      const text = JSON.stringify(answer.blocks);
      expect(text).toContain('*backend-cron*');
      expect(text).toContain('scaled to 0');
    });

    it('posts /tas logs backend of the fixture stack with mentions escaped and secrets redacted', async () => {
      await h.slash(SLACK.alice, 'logs backend', SLACK.fix);
      const answer = await h.message(SLACK.fix, /^backend logs \(/);
      expect(JSON.stringify(answer.blocks)).toContain(
        '&lt;!channel&gt; @everyone &lt;@U123ABC&gt;',
      );
      const posted = everythingPosted(h);
      for (const secret of FIXTURE_SECRETS) expect(posted).not.toContain(secret);
      expect(h.slack.mentionProblems()).toEqual([]);
    });

    it('posts a log excerpt too long for one message as a file in the answer’s thread', async () => {
      await h.slash(SLACK.bob, 'logs worker', SLACK.ops);
      const answer = await h.message(SLACK.ops, /^worker logs \(/);
      const file = await h.slack.waitFor(
        'the excerpt file in the thread',
        () => h.slack.thread(SLACK.ops, answer.ts).files[0],
      );
      expect(file).toMatchObject({ filename: 'ops-worker-logs.txt', completed: true });
      expect(file.bytesReceived).toBe(file.length);
      expect(file.content).toContain(
        'ERROR job bcd failed: queue bcd unavailable <!here> <@U999XYZ> password=[REDACTED]',
      );
      expect(JSON.stringify(answer.blocks)).toContain('`ops-worker-logs.txt`');
      expect(JSON.stringify(answer.blocks)).toContain('&lt;!here&gt; &lt;@U999XYZ&gt;');
      expect(everythingPosted(h)).not.toContain('-hunter');
    });

    it('posts /tas escalate to the support channel, the reports as files in its thread', async () => {
      await h.slash(SLACK.alice, 'escalate backend answers 503 since 03:00 <!channel>', SLACK.fix);
      const answer = await h.message(
        SLACK.fix,
        /^Escalated fix to support: (OK|DEGRADED|DOWN) \(report /,
      );
      expect(answer.thread_ts).toBeUndefined();
      const posted = await h.message(SLACK.support, /./, 'the bundle in the support channel');
      const files = await h.slack.waitFor('both reports in the thread', () => {
        const done = h.slack.thread(SLACK.support, posted.ts).files;
        return done.length >= 2 ? done : undefined;
      });
      expect(files.map((f) => f.filename.split('.').at(-1)).sort()).toEqual(['json', 'md']);
      for (const file of files) expect(file.bytesReceived).toBe(file.length);
      const text = everythingPosted(h);
      for (const secret of FIXTURE_SECRETS) expect(text).not.toContain(secret);
      expect(h.slack.mentionProblems()).toEqual([]);
    });

    it('runs /tas restart through the approval flow in the card’s thread', async () => {
      const { ack } = await h.slash(SLACK.alice, 'restart backend', SLACK.ops);
      expect(ack).toEqual({ status: 200, payload: {} });
      const card = await h.message(SLACK.ops, CARD_TITLE, 'the approval card');
      const id = CARD_TITLE.exec(card.text)?.[2] ?? '';
      expect(card.thread_ts).toBeUndefined();
      const asked = card.text;
      const before = await h.inspect('backend');

      expect((await h.press(h.click(SLACK.alice, card, 'approve'))).status).toBe(200);
      const refusal = await h.slack.waitFor('the refusal to alice', () =>
        h.slack.ephemeralsFor(SLACK.alice).find((e) => e.text.startsWith('You asked for this')),
      );
      expect(refusal.channel).toBe(SLACK.ops);

      await h.press(h.click(SLACK.dave, card, 'approve'));
      const thread = () => h.slack.thread(SLACK.ops, card.ts).messages;
      const verdict = await h.slack.waitFor('the verdict in the thread', () =>
        thread().find((m) => /^(Verified|Failed): /.test(m.text)),
      );
      expect(verdict.text).toBe('Verified: restart backend: done and verified');
      const texts = thread().map((m) => m.text);
      expect(texts).toContain(
        `Approved ${id}; restart backend is queued. Progress follows in the thread.`,
      );
      expect(texts).toContain(`Started restart backend [${id}]`);
      expect(texts.some((t) => t.startsWith('You asked for this'))).toBe(false);

      const final = await h.slack.waitFor('the card updated to done', () =>
        card.text.includes('done and verified') ? card : undefined,
      );
      expect(final.history.length).toBeGreaterThan(0);
      expect(final.blocks.some((b) => (b as { type?: string }).type === 'actions')).toBe(false);
      expect(h.slack.calls('chat.update').every((c) => c.params?.ts === card.ts)).toBe(true);
      // Posted once: by the core, which keeps where it went; the adapter only acknowledged.
      const cardPosts = h.slack
        .calls('chat.postMessage')
        .filter((c) => c.params?.channel === SLACK.ops && c.params.text === asked);
      expect(cardPosts).toHaveLength(1);
      const after = await h.inspect('backend');
      expect(after.Spec.TaskTemplate.ForceUpdate ?? 0).toBe(
        (before.Spec.TaskTemplate.ForceUpdate ?? 0) + 1,
      );
    });

    it('dispatches a redelivered click and a double click once', async () => {
      await h.slash(SLACK.alice, 'restart frontend', SLACK.ops);
      const card: StoredMessage = await h.message(
        SLACK.ops,
        /^restart ops_frontend — waiting for approval/,
      );
      const id = CARD_TITLE.exec(card.text)?.[2] ?? '';
      const privately = h.slack.ephemeralsFor(SLACK.dave).length;
      const click = h.click(SLACK.dave, card, 'reject');
      const again = h.click(SLACK.dave, card, 'reject');
      const acks = [await h.press(click), await h.press(click, 1), await h.press(again)];
      expect(acks.map((a) => a.status)).toEqual([200, 200, 200]);
      await h.slack.waitFor('the card updated to rejected', () =>
        card.text.includes('rejected') ? card : undefined,
      );
      const answers = () =>
        h.slack.thread(SLACK.ops, card.ts).messages.filter((m) => m.text.startsWith('Rejected'));
      await h.slack.waitFor('the answer in the card’s thread', () => answers()[0]);
      // A second dispatch would be a second answer, or a private "not pending" to dave.
      expect(answers().map((m) => m.text)).toEqual([`Rejected ${id}; nothing will run.`]);
      expect(h.slack.ephemeralsFor(SLACK.dave)).toHaveLength(privately);
      expect(await trailOf(h, id)).toEqual(['request:alice', 'reject:dave']);
    });

    it('dispatches a redelivered slash command once', async () => {
      const answersBefore = h.slack.messages.filter((m) => m.channel === SLACK.fix).length;
      const fields = h.command(SLACK.erin, 'status', SLACK.fix);
      const acks = [await h.send(fields), await h.send(fields, 1)];
      expect(acks.map((a) => a.status)).toEqual([200, 200]);
      await h.slack.waitFor('the one answer', () =>
        h.slack.messages.filter((m) => m.channel === SLACK.fix).length > answersBefore
          ? true
          : undefined,
      );
      expect(h.slack.messages.filter((m) => m.channel === SLACK.fix)).toHaveLength(
        answersBefore + 1,
      );
    });

    it('acknowledges a command while Docker is silent, then reports Docker’s failure', async () => {
      const { ack } = await h.slash(SLACK.bob, 'status', SLACK.hung);
      expect(ack.status).toBe(200);
      const acked = h.slack.events.at(-1)?.seq ?? 0;
      await h.slack.waitFor('the bot reaching the silent Docker', () =>
        h.hole.connections > 0 ? true : undefined,
      );
      expect(h.slack.messages.filter((m) => m.channel === SLACK.hung)).toEqual([]);
      await h.hole.release();
      const answer = await h.slack.waitFor('the answer after Docker failed', () =>
        [...h.slack.messages, ...h.slack.ephemerals].find((m) => m.channel === SLACK.hung),
      );
      expect(answer.text).toMatch(/^(hung: (DOWN|DEGRADED)|Docker is not answering)/);
      const answeredAt =
        h.slack.events.find((e) => e.kind === 'api' && e.params?.channel === SLACK.hung)?.seq ?? 0;
      expect(answeredAt).toBeGreaterThan(acked);
    });

    it('acknowledges while the Web API answers 429, then posts once Retry-After has passed', async () => {
      const limit = h.slack.web.rateLimit('chat.postMessage', 1, Infinity);
      await h.slash(SLACK.alice, 'status', SLACK.fix);
      const limited = await h.slack.waitFor('a 429', () =>
        h.slack.calls('chat.postMessage').find((c) => c.status === 429),
      );
      const { ack } = await h.slash(SLACK.bob, 'status', SLACK.fix);
      expect(ack.status).toBe(200);
      const acked =
        h.slack.events.filter((e) => e.kind === 'socket-ack' || e.kind === 'http-ack').at(-1)
          ?.seq ?? 0;
      expect(acked).toBeGreaterThan(limited.seq);
      limit.stop();
      const posted = () =>
        h.slack.calls('chat.postMessage').filter((c) => c.seq > limited.seq && c.status === 200);
      await h.slack.waitFor('both answers', () => (posted().length >= 2 ? true : undefined));
      expect(posted().every((c) => c.seq > acked)).toBe(true);
    });

    it('tells the user through the response_url when Slack refuses the answer and the ephemeral note', async () => {
      h.slack.web.failNext('chat.postMessage', 'not_in_channel', 1, (p) => p.channel === SLACK.fix);
      h.slack.web.failNext(
        'chat.postEphemeral',
        'not_in_channel',
        1,
        (p) => p.channel === SLACK.fix,
      );
      const { fields } = await h.slash(SLACK.alice, 'status', SLACK.fix);
      const id = fields.response_url?.split('/').at(-1);
      const told = await h.slack.waitFor('the note through the response_url', () =>
        h.slack.responses.find((r) => r.id === id),
      );
      expect(told.body).toMatchObject({ response_type: 'ephemeral' });
      expect(String(told.body.text)).toMatch(
        /^I could not post the answer here \(Slack said `not_in_channel`\)\. It was: \*fix: (OK|DEGRADED|DOWN)\*$/,
      );
    });

    it('gives up on a failing Web API after its own retries, not the Socket Mode client’s hundred, and says so', async () => {
      const from = h.slack.events.at(-1)?.seq ?? 0;
      const failing = h.slack.web.httpError(
        'chat.postMessage',
        500,
        Infinity,
        (p) => p.channel === SLACK.fix,
      );
      await h.slash(SLACK.erin, 'status', SLACK.fix);
      const note = await h.slack.waitFor('the note about the failure', () =>
        h.slack
          .ephemeralsFor(SLACK.erin)
          .find((e) => e.text.startsWith('I could not post the answer here')),
      );
      failing.stop();
      expect(note.text).toMatch(/^I could not post the answer here \(Slack said `http_500`\)/);
      const tries = h.slack
        .calls('chat.postMessage')
        .filter((c) => c.seq > from && c.params?.channel === SLACK.fix);
      expect(tries.map((c) => c.status)).toEqual(
        Array.from({ length: TEST_RETRY.retries + 1 }, () => 500),
      );
    });

    it('never had a message refused for size or truncated, and never sent link_names or parse', () => {
      expect(h.slack.sizeRejections()).toEqual([]);
      expect(h.slack.truncations()).toEqual([]);
      expect(h.slack.mentionProblems()).toEqual([]);
      const flags = h.slack.events.filter(
        (e) => e.params !== undefined && ('link_names' in e.params || 'parse' in e.params),
      );
      expect(flags).toEqual([]);
    });
  });
}
