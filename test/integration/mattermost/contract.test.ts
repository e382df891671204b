import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredPost } from '../../stand-ins/mattermost/mattermost-state.js';
import {
  MM,
  headline,
  readable,
  startMattermostHarness,
  type MattermostHarness,
} from '../../support/mattermost-harness.js';

/** Secrets the fixture backend logs (test/fixtures/stack/bin/backend.sh): none may reach Mattermost. */
const FIXTURE_SECRETS = [
  'hunter2secret',
  'S3cretPass',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'xoxb-123456789012-123456789012-abcdefABCDEFabcdef',
];

const CARD_TITLE = /^restart ops_(\w+) — waiting for approval \[(r[0-9a-f]{6})\]/;

/** Everything the bot made the server show or store: posts (every version), ephemerals, files. */
function everythingPosted(h: MattermostHarness): string {
  const { posts, ephemerals, files } = h.mm.state;
  return JSON.stringify({
    posts: posts.map((p) => [p.message, p.props, p.history]),
    ephemerals: ephemerals.map((e) => e.message),
    files: files.map((f) => f.content.toString('utf8')),
  });
}

/** Files attached to `post` or to replies in its thread. */
function filesOf(h: MattermostHarness, post: StoredPost) {
  return h.mm.state.files.filter(
    (f) => f.post_id === post.id || h.mm.thread(post.id).posts.some((p) => p.id === f.post_id),
  );
}

/** The audit trail's entries for one request, as `kind:actor`. */
async function trailOf(h: MattermostHarness, requestId: string): Promise<string[]> {
  const entries: string[] = [];
  for await (const entry of h.core.audit?.all() ?? [])
    if (entry.requestId === requestId) entries.push(`${entry.kind}:${entry.actor}`);
  return entries;
}

const threadTexts = (h: MattermostHarness, root: StoredPost) =>
  h.mm.thread(root.id).posts.map((p) => headline(p.message));

/**
 * What the Slack and Discord adapters do, done by the Mattermost adapter against the stand-in
 * (slash commands and clicks as the server sends them), the real core, the real swarm and Redis.
 */
describe('the Mattermost adapter', () => {
  let h: MattermostHarness;
  beforeAll(async () => {
    h = await startMattermostHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('acknowledges /tas status at once with an empty answer and posts the verdict in the channel', async () => {
    const result = await h.slash(MM.alice, 'status', MM.fix);
    expect(result.status).toBe(200);
    const delivered = h.mm.state.commands.at(-1);
    expect(delivered).toMatchObject({ status: 200, body: '{}' });
    expect(delivered?.contentType).toMatch(/^application\/json/);
    const answer = await h.message(MM.fix, /^fix: (OK|DEGRADED|DOWN)/);
    expect(answer.root_id).toBe('');
    expect(answer.user_id).toBe(MM.bot);
    const text = readable(answer.message);
    expect(text).toContain('backend-cron');
    expect(text).toContain('scaled to 0');
  });

  it('posts /tas logs backend of the fixture stack with mentions neutralised and secrets redacted', async () => {
    await h.slash(MM.alice, 'logs backend', MM.fix);
    const answer = await h.message(MM.fix, /^backend logs \(/);
    const shown =
      readable(answer.message) +
      filesOf(h, answer)
        .map((f) => f.content)
        .join('');
    expect(shown).toContain('<!channel> @everyone <@U123ABC> please look at this');
    expect(shown).toContain('password=[REDACTED]');
    const posted = everythingPosted(h);
    for (const secret of FIXTURE_SECRETS) expect(posted).not.toContain(secret);
    expect(h.mm.mentionProblems()).toEqual([]);
  });

  it('posts a log excerpt too long for one post with the whole excerpt as a file', async () => {
    await h.slash(MM.bob, 'logs worker', MM.ops);
    const answer = await h.message(MM.ops, /^worker logs \(/);
    const file = await h.mm.waitFor('the excerpt file', () =>
      filesOf(h, answer).find((f) => f.name === 'ops-worker-logs.txt'),
    );
    expect(readable(file.content.toString('utf8'))).toContain(
      'ERROR job bcd failed: queue bcd unavailable @here @channel @all @alice ~ops password=[REDACTED]',
    );
    expect([...answer.message].length).toBeLessThanOrEqual(16383);
    expect(readable(answer.message)).toContain('ops-worker-logs.txt');
    expect(everythingPosted(h)).not.toContain('-hunter');
    expect(h.mm.mentionProblems()).toEqual([]);
  });

  it('posts /tas escalate to the support channel with both reports as files', async () => {
    await h.slash(MM.alice, 'escalate backend answers 503 since 03:00 @channel ~ops', MM.fix);
    const answer = await h.message(
      MM.fix,
      /^Escalated fix to support: (OK|DEGRADED|DOWN) \(report /,
    );
    expect(answer.root_id).toBe('');
    const bundle = await h.message(MM.support, /./, 'the bundle in the support channel');
    const files = await h.mm.waitFor('both reports', () => {
      const done = filesOf(h, bundle);
      return done.length >= 2 ? done : undefined;
    });
    expect(files.map((f) => f.name.split('.').at(-1)).sort()).toEqual(['json', 'md']);
    // What the user typed reaches support as typed, and pings nobody there.
    expect(readable(bundle.message)).toContain('backend answers 503 since 03:00 @channel ~ops');
    const text = everythingPosted(h);
    for (const secret of FIXTURE_SECRETS) expect(text).not.toContain(secret);
    expect(h.mm.mentionProblems()).toEqual([]);
  });

  it('runs /tas restart through the approval flow: refusals ephemeral, one execution, card updated, verdict in its thread', async () => {
    const result = await h.slash(MM.alice, 'restart backend', MM.ops);
    expect(result.status).toBe(200);
    const card = await h.message(MM.ops, CARD_TITLE, 'the approval card');
    const id = CARD_TITLE.exec(headline(card.message))?.[2] ?? '';
    expect(card.user_id).toBe(MM.bot);
    const before = await h.inspect('backend');

    expect((await h.click(MM.alice, card, 'approve')).status).toBe(200);
    const refusal = await h.mm.waitFor('the refusal to alice', () =>
      h.mm
        .ephemeralsFor(MM.alice)
        .find((e) => readable(e.message).startsWith('You asked for this')),
    );
    expect(refusal.channel_id).toBe(MM.ops);
    const bobBefore = h.mm.ephemeralsFor(MM.bob).length;
    expect((await h.click(MM.bob, card, 'approve')).status).toBe(200);
    const bobRefusal = await h.mm.waitFor('the refusal to bob', () =>
      h.mm.ephemeralsFor(MM.bob).at(bobBefore),
    );
    expect(readable(bobRefusal.message)).toBe('Only lead may approve this request.');
    expect((await h.inspect('backend')).Spec.TaskTemplate.ForceUpdate ?? 0).toBe(
      before.Spec.TaskTemplate.ForceUpdate ?? 0,
    );

    await h.click(MM.dave, card, 'approve');
    const verdict = await h.mm.waitFor('the verdict in the thread', () =>
      threadTexts(h, card).find((t) => /^(Verified|Failed): /.test(t)),
    );
    expect(verdict).toBe('Verified: restart backend: done and verified');
    const texts = threadTexts(h, card);
    expect(texts).toContain(
      `Approved ${id}; restart backend is queued. Progress follows in the thread.`,
    );
    expect(texts).toContain(`Started restart backend [${id}]`);
    expect(texts.some((t) => t.startsWith('You asked for this'))).toBe(false);

    const final = await h.mm.waitFor('the card updated to done', () =>
      headline(card.message).includes('done and verified') ? card : undefined,
    );
    expect(final.history.length).toBeGreaterThan(0);
    expect(final.props.attachments).toBeUndefined();
    const edits = h.mm.calls(/^PUT \/api\/v4\/posts\//);
    expect(edits.every((c) => c.route?.includes(card.id))).toBe(true);
    // Posted once: by the core, which keeps where it went; the adapter only acknowledged.
    const cards = h.mm
      .postsIn(MM.ops)
      .filter((p) => p.root_id === '' && readable(p.message).includes(`[${id}]`));
    expect(cards.map((p) => p.id)).toEqual([card.id]);
    const after = await h.inspect('backend');
    expect(after.Spec.TaskTemplate.ForceUpdate ?? 0).toBe(
      (before.Spec.TaskTemplate.ForceUpdate ?? 0) + 1,
    );
    const trail = await trailOf(h, id);
    expect(trail[0]).toBe('request:alice');
    expect(trail.filter((t) => t.startsWith('vote:'))).toEqual(['vote:dave']);
    expect(trail.filter((t) => t.startsWith('start:'))).toHaveLength(1);
  });

  it('answers a redelivered click and a double click once', async () => {
    await h.slash(MM.alice, 'restart frontend', MM.ops);
    const card = await h.message(MM.ops, /^restart ops_frontend — waiting for approval/);
    const id = CARD_TITLE.exec(headline(card.message))?.[2] ?? '';
    const privately = h.mm.ephemeralsFor(MM.dave).length;
    const reject = h.buttonOn(card, 'reject');
    // The card's edit waits, so every repeat below reaches the bot while the buttons are shown.
    let release = () => {};
    h.mm.rest.hold(
      (route) => route === `PUT /api/v4/posts/${card.id}/patch`,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    // A double click: both reach the server while the card still shows its buttons.
    const clicks = await Promise.all([
      h.mm.click(MM.dave, card.id, reject),
      h.mm.click(MM.dave, card.id, reject),
    ]);
    const delivered = h.mm.state.actions.at(-1);
    if (delivered === undefined) throw new Error('no click delivered');
    // A redelivery: the very request the server sent, trigger_id and all.
    const replayed = await h.mm.replay(delivered);
    expect([...clicks, replayed].map((r) => r.status)).toEqual([200, 200, 200]);
    release();
    await h.mm.waitFor('the card updated to rejected', () =>
      headline(card.message).includes('rejected') ? card : undefined,
    );
    const answers = () => threadTexts(h, card).filter((t) => t.startsWith('Rejected'));
    await h.mm.waitFor('the answer in the card’s thread', () => answers()[0]);
    expect(answers()).toEqual([`Rejected ${id}; nothing will run.`]);
    expect(h.mm.ephemeralsFor(MM.dave)).toHaveLength(privately);
    expect(await trailOf(h, id)).toEqual(['request:alice', 'reject:dave']);
  });

  it('answers a redelivered slash command once', async () => {
    const answersBefore = h.mm.postsIn(MM.fix).length;
    await h.slash(MM.erin, 'status', MM.fix);
    const delivered = h.mm.state.commands.at(-1);
    if (delivered === undefined) throw new Error('no command delivered');
    expect((await h.mm.resendCommand(delivered)).status).toBe(200);
    await h.mm.waitFor('the one answer', () =>
      h.mm.postsIn(MM.fix).length > answersBefore ? true : undefined,
    );
    // A later command's answer comes after any second answer to the redelivery would have.
    await h.slash(MM.erin, 'status', MM.fix);
    await h.mm.waitFor('the answer to the later command', () =>
      h.mm.postsIn(MM.fix).length > answersBefore + 1 ? true : undefined,
    );
    expect(h.mm.postsIn(MM.fix)).toHaveLength(answersBefore + 2);
  });

  it('refuses a command with a forged token (4xx) and dispatches nothing for it', async () => {
    const before = h.mm.postsIn(MM.fix).length + h.mm.state.ephemerals.length;
    const forged = await h.slash(MM.erin, 'status', MM.fix, {
      token: 'forgedtoken000000000000000',
    });
    const delivered = h.mm.state.commands.at(-1);
    expect(delivered?.status).toBeGreaterThanOrEqual(400);
    expect(delivered?.status).toBeLessThan(500);
    expect(forged.status).toBe(500);
    await h.slash(MM.erin, 'status', MM.fix);
    await h.mm.waitFor('the genuine answer', () =>
      h.mm.postsIn(MM.fix).length + h.mm.state.ephemerals.length > before ? true : undefined,
    );
    // Whatever the forged command dispatched would have been answered first: only one answer came.
    await h.message(MM.fix, /^fix: /);
    expect(h.mm.postsIn(MM.fix).length + h.mm.state.ephemerals.length).toBe(before + 1);
  });

  it('refuses a click POSTed straight to the bot’s action URL, not through the server', async () => {
    await h.slash(MM.alice, 'restart worker', MM.ops);
    const card = await h.message(MM.ops, /^restart ops_worker — waiting for approval/);
    const id = CARD_TITLE.exec(headline(card.message))?.[2] ?? '';
    const before = await h.inspect('worker');
    const versions = card.history.length;
    // What a client can see of the card: the integration (URL and context) is stripped.
    const seen = await fetch(`${h.mm.url}/api/v4/posts/${card.id}`, {
      headers: { authorization: 'Bearer none' },
    });
    expect(seen.status).toBe(401);
    const forged = await fetch(`${h.botUrl}/mattermost/action`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user_id: MM.dave,
        user_name: 'dave',
        channel_id: MM.ops,
        channel_name: 'ops',
        team_id: h.mm.team.id,
        team_domain: h.mm.team.name,
        post_id: card.id,
        trigger_id: Buffer.from('forged').toString('base64'),
        type: 'button',
        data_source: '',
        context: { request_id: id, verb: 'approve', sig: '0'.repeat(64) },
      }),
    });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);
    expect(await trailOf(h, id)).toEqual(['request:alice']);
    expect(card.history).toHaveLength(versions);
    expect((await h.inspect('worker')).Spec.TaskTemplate.ForceUpdate ?? 0).toBe(
      before.Spec.TaskTemplate.ForceUpdate ?? 0,
    );
    await h.click(MM.dave, card, 'reject');
    await h.mm.waitFor('the card updated to rejected', () =>
      headline(card.message).includes('rejected') ? card : undefined,
    );
  });

  it('acknowledges while the REST API answers 429, then posts once Retry-After has passed', async () => {
    const from = h.mm.state.events.at(-1)?.seq ?? 0;
    h.mm.rest.rateLimit(1, 2, (route) => route === 'POST /api/v4/posts');
    const result = await h.slash(MM.bob, 'status', MM.fix);
    expect(result.status).toBe(200);
    await h.mm.waitFor('the answer after the 429s', () =>
      h.mm.calls('POST /api/v4/posts').find((c) => c.seq > from && c.status === 201),
    );
    const statuses = h.mm
      .calls('POST /api/v4/posts')
      .filter((c) => c.seq > from)
      .map((c) => c.status);
    expect(statuses.slice(0, 3)).toEqual([429, 429, 201]);
  });

  it('acknowledges a command while Docker is silent, then reports Docker’s failure', async () => {
    const result = await h.slash(MM.bob, 'status', MM.hung);
    expect(result.status).toBe(200);
    const acked = h.mm.state.events.filter((e) => e.kind === 'command').at(-1)?.seq ?? 0;
    await h.mm.waitFor('the bot reaching the silent Docker', () =>
      h.hole.connections > 0 ? true : undefined,
    );
    expect(h.mm.postsIn(MM.hung)).toEqual([]);
    await h.hole.release();
    const answer = await h.mm.waitFor(
      'the answer after Docker failed',
      () =>
        [
          ...h.mm.postsIn(MM.hung),
          ...h.mm.state.ephemerals.filter((e) => e.channel_id === MM.hung),
        ][0],
    );
    expect(headline(answer.message)).toMatch(/^(hung: (DOWN|DEGRADED)|Docker is not answering)/);
    const answeredAt =
      h.mm.state.events.find((e) => e.kind === 'api' && String(e.body).includes(MM.hung))?.seq ?? 0;
    expect(answeredAt).toBeGreaterThan(acked);
  });

  it('tells the user privately, through the response_url, when the server refuses the answer', async () => {
    h.mm.rest.failNext(
      403,
      'api.context.permissions.app_error',
      1,
      (route) => route === 'POST /api/v4/posts',
    );
    const { fields } = await h.slash(MM.alice, 'status', MM.fix);
    const hook = fields.response_url?.split('/').at(-1);
    const told = await h.mm.waitFor('the note through the response_url', () =>
      h.mm.state.responses.find((r) => r.hook === hook),
    );
    expect(told).toMatchObject({ status: 200, body: { response_type: 'ephemeral' } });
    const note = await h.mm.waitFor('the note to alice', () =>
      h.mm.ephemeralsFor(MM.alice).find((e) => e.via === 'response_url'),
    );
    expect(note.channel_id).toBe(MM.fix);
    expect(readable(note.message)).toMatch(
      /^I could not post the answer here[\s\S]*Mattermost said 403 api\.context\.permissions\.app_error\. It was: fix: (OK|DEGRADED|DOWN)/,
    );
  });

  it('never had a post refused for its size and never let a mention through', () => {
    expect(h.mm.sizeRejections()).toEqual([]);
    expect(h.mm.mentionProblems()).toEqual([]);
  });
});
