import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actionKey, signAction } from '../../../../adapters/mattermost/action-context.js';
import type { EndpointDeps } from '../../../../adapters/mattermost/endpoint-deps.js';
import { httpRoutes } from '../../../../adapters/mattermost/http-routes.js';
import {
  MattermostApiError,
  type MattermostApi,
  type MattermostPost,
  type NewPost,
} from '../../../../adapters/mattermost/mattermost-api.js';
import { createMattermostPoster } from '../../../../adapters/mattermost/mattermost-poster.js';
import type { ChatEvent } from '../../../../src/core/chat-event.js';
import { silentLogger } from '../../../../src/core/ports/logger.js';
import { textReply, type Reply } from '../../../../src/core/reply.js';
import { createMemoryDeliveryLedger } from '../../../../src/lib/recent-ids.js';
import { card } from './replies.js';

const BOT = 'b'.repeat(26);
const CHANNEL = 'c'.repeat(26);
const ALICE = 'a'.repeat(26);
const COMMAND_TOKEN = 'unit-command-token';
const key = actionKey('unit-bot-token');

/** The REST API as an in-memory fake: what the bot posted, and posts it can look up. */
function fakeApi(refuse: { channel?: boolean; ephemeral?: boolean } = {}) {
  const posts = new Map<string, MattermostPost>();
  const ephemerals: { user: string; post: NewPost }[] = [];
  const forbidden = () =>
    Promise.reject(new MattermostApiError(403, 'api.context.permissions.app_error', 'forbidden'));
  let next = 0;
  const api: MattermostApi = {
    me: () => Promise.resolve({ id: BOT, username: 'tas' }),
    createPost(post) {
      if (refuse.channel === true) return forbidden();
      next += 1;
      const created: MattermostPost = { id: `p${next}`, user_id: BOT, ...post };
      posts.set(created.id, created);
      return Promise.resolve(created);
    },
    patchPost: () => Promise.resolve(),
    getPost: (id) => Promise.resolve(posts.get(id)),
    createEphemeral(user, post) {
      if (refuse.ephemeral === true) return forbidden();
      ephemerals.push({ user, post });
      return Promise.resolve();
    },
    uploadFile: () => Promise.resolve('f1'),
  };
  return { api, posts, ephemerals };
}

describe('Mattermost endpoints', () => {
  let server: Server;
  let base = '';
  let fake = fakeApi();
  /** What reached the command's response_url. */
  let responses: object[] = [];
  let dispatched: ChatEvent[] = [];
  let answer: (event: ChatEvent) => Reply = () => textReply('ok');
  /** The core's work on an event finishes only once this resolves. */
  let gate: Promise<void> = Promise.resolve();
  let clickAnswerMs = 8_000;
  const render = {
    command: 'tas',
    actionUrl: 'https://tas-chatops.example.com/mattermost/action',
    sign: (requestId: string, verb: 'approve' | 'reject') => signAction(key, requestId, verb),
  };

  beforeAll(async () => {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const deps: EndpointDeps = {
        host: {
          log: silentLogger,
          async dispatch(event) {
            dispatched.push(event);
            await gate;
            return { reply: answer(event) };
          },
          serviceNames: () => Promise.resolve([]),
        },
        api: fake.api,
        poster: createMattermostPoster(fake.api, render),
        log: silentLogger,
        ledger,
        commandToken: COMMAND_TOKEN,
        actionKey: key,
        command: 'tas',
        now: Date.now,
        botUserId: () => BOT,
        inFlight,
        clickAnswerMs,
      };
      if (req.url?.startsWith('/hooks/') === true) {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          responses.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as object);
          res.end('ok');
        });
        return;
      }
      httpRoutes(deps, () => true).handle(req, res);
    };
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  let ledger = createMemoryDeliveryLedger({ max: 100 });
  const inFlight = new Set<Promise<void>>();
  beforeEach(() => {
    fake = fakeApi();
    gate = Promise.resolve();
    clickAnswerMs = 8_000;
    responses = [];
    dispatched = [];
    ledger = createMemoryDeliveryLedger({ max: 100 });
    answer = () => textReply('ok');
  });
  const settled = async () => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };

  const command = (fields: Record<string, string> = {}, token = COMMAND_TOKEN) =>
    fetch(`${base}/mattermost/command`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Token ${token}`,
      },
      body: new URLSearchParams({
        channel_id: CHANNEL,
        command: '/tas',
        text: 'status prod',
        token,
        trigger_id: 'trigger-1',
        user_id: ALICE,
        ...fields,
      }).toString(),
    });

  describe('when a command carries the command token', () => {
    it('acknowledges at once, dispatches once, and posts the answer in the channel', async () => {
      const response = await command();
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
      await settled();
      expect(dispatched).toMatchObject([
        { platform: 'mattermost', userId: ALICE, channelId: CHANNEL, text: 'status prod' },
      ]);
      expect([...fake.posts.values()].map((p) => p.message)).toEqual(['**ok**']);
    });

    it('answers an ephemeral reply to the asking user only', async () => {
      answer = () => ({ ...textReply('nope'), ephemeral: true });
      await command();
      await settled();
      expect(fake.posts.size).toBe(0);
      expect(fake.ephemerals).toMatchObject([{ user: ALICE, post: { channel_id: CHANNEL } }]);
    });
  });

  describe('when the same command request arrives twice', () => {
    it('answers it once', async () => {
      expect((await command()).status).toBe(200);
      expect((await command()).status).toBe(200);
      await settled();
      expect(dispatched).toHaveLength(1);
      expect(fake.posts.size).toBe(1);
    });
  });

  describe('when a command is forged or malformed', () => {
    it('refuses a wrong token with 401 and dispatches nothing', async () => {
      expect((await command({}, 'forged-token')).status).toBe(401);
      await settled();
      expect(dispatched).toEqual([]);
    });

    it('refuses a body without a trigger id with 400', async () => {
      expect((await command({ trigger_id: '' })).status).toBe(400);
    });

    it('refuses a body over the size limit with 413', async () => {
      expect((await command({ text: 'x'.repeat(300 * 1024) })).status).toBe(413);
    });

    it('refuses JSON with 415', async () => {
      const response = await fetch(`${base}/mattermost/command`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(415);
      expect(dispatched).toEqual([]);
    });
  });

  /** Posts the approval card as the bot, and a click on its first (approve) button. */
  async function cardAndClick(overrides: Record<string, unknown> = {}) {
    const posted = await createMattermostPoster(fake.api, render).post(CHANNEL, undefined, card);
    const stored = fake.posts.get(posted.id);
    const action = (
      stored?.props?.attachments?.[0] as { actions: { integration: { context: unknown } }[] }
    ).actions[0];
    return fetch(`${base}/mattermost/action`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        user_id: ALICE,
        user_name: 'alice',
        channel_id: CHANNEL,
        post_id: posted.id,
        trigger_id: 'click-1',
        type: 'button',
        context: action?.integration.context,
        ...overrides,
      }),
    });
  }

  describe('when a click comes from one of our cards', () => {
    it('dispatches the action as the clicking user and answers a refusal as ephemeral_text', async () => {
      answer = () => ({ ...textReply('You cannot approve your own request'), ephemeral: true });
      const response = await cardAndClick();
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        ephemeral_text: '**You cannot approve your own request**',
        skip_slack_parsing: true,
      });
      expect(dispatched).toMatchObject([
        { userId: ALICE, channelId: CHANNEL, action: { verb: 'approve', requestId: 'r1a2b3c' } },
      ]);
    });

    it('answers a repeated click once', async () => {
      expect((await cardAndClick()).status).toBe(200);
      const again = await cardAndClick();
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({});
      expect(dispatched).toHaveLength(1);
    });

    it('answers a click retried after its card lost its buttons with nothing, not a refusal', async () => {
      const first = await cardAndClick();
      expect(first.status).toBe(200);
      const [postId, stored] = [...fake.posts.entries()][0] ?? [];
      if (postId === undefined || stored === undefined) throw new Error('no card was posted');
      fake.posts.set(postId, { ...stored, props: { ...stored.props, attachments: [] } });
      const context = signAction(key, 'r1a2b3c', 'approve');
      const retried = await fetch(`${base}/mattermost/action`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          user_id: ALICE,
          channel_id: CHANNEL,
          post_id: postId,
          trigger_id: 'click-1',
          context,
        }),
      });
      expect(retried.status).toBe(200);
      expect(await retried.json()).toEqual({});
      expect(dispatched).toHaveLength(1);
    });
  });

  describe('when a click is forged', () => {
    it.each([
      [
        'a context signed by nobody',
        { context: { request_id: 'r1a2b3c', verb: 'approve', sig: 'f'.repeat(64) } },
      ],
      ['another channel than the post', { channel_id: 'd'.repeat(26) }],
      ['a post that does not exist', { post_id: 'nope' }],
    ])('refuses %s with 403 and dispatches nothing', async (_what, overrides) => {
      expect((await cardAndClick(overrides)).status).toBe(403);
      expect(dispatched).toEqual([]);
    });

    it('refuses a post that is not the bot’s own', async () => {
      const posted = await createMattermostPoster(fake.api, render).post(CHANNEL, undefined, card);
      const stored = fake.posts.get(posted.id);
      if (stored) fake.posts.set(posted.id, { ...stored, user_id: ALICE });
      const context = signAction(key, 'r1a2b3c', 'approve');
      const response = await fetch(`${base}/mattermost/action`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          user_id: ALICE,
          channel_id: CHANNEL,
          post_id: posted.id,
          trigger_id: 't',
          context,
        }),
      });
      expect(response.status).toBe(403);
      expect(dispatched).toEqual([]);
    });

    it('refuses a body that is not JSON with 400', async () => {
      const response = await fetch(`${base}/mattermost/action`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"user_id":',
      });
      expect(response.status).toBe(400);
    });
  });

  describe('when a request is not for a route of ours', () => {
    it('answers 405 to anything but POST and 404 to another path', async () => {
      const get = await fetch(`${base}/mattermost/command`);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      const other = await fetch(`${base}/mattermost/other`, { method: 'POST' });
      expect(other.status).toBe(404);
      expect(dispatched).toEqual([]);
    });
  });

  describe('when the bot may not post where it was asked', () => {
    it('tells the asking user ephemerally through the response_url', async () => {
      fake = fakeApi({ channel: true, ephemeral: true });
      await command({ response_url: `${base}/hooks/commands/h1` });
      await settled();
      expect(fake.posts.size).toBe(0);
      expect(responses).toMatchObject([{ response_type: 'ephemeral', skip_slack_parsing: true }]);
      const text = (responses[0] as { text?: string } | undefined)?.text ?? '';
      expect(text).toContain('I could not post the answer here');
      expect(text).toContain('403');
    });

    it('answers an ephemeral reply through the response_url when ephemeral posts are refused', async () => {
      fake = fakeApi({ ephemeral: true });
      answer = () => ({ ...textReply('only you see this'), ephemeral: true });
      await command({ response_url: `${base}/hooks/commands/h2` });
      await settled();
      expect(responses).toEqual([
        { response_type: 'ephemeral', text: '**only you see this**', skip_slack_parsing: true },
      ]);
    });
  });

  describe('when the core takes its time over a command', () => {
    it('acknowledges before the work is done, and posts the answer after', async () => {
      let open = () => undefined as void;
      gate = new Promise<void>((resolve) => (open = resolve));
      const response = await command();
      expect(response.status).toBe(200);
      expect(fake.posts.size).toBe(0);
      open();
      await settled();
      expect([...fake.posts.values()].map((p) => p.message)).toEqual(['**ok**']);
    });
  });

  describe('when the core answers a click after the server stopped waiting', () => {
    it('answers the server with nothing, then the user ephemerally in the card thread', async () => {
      let open = () => undefined as void;
      gate = new Promise<void>((resolve) => (open = resolve));
      clickAnswerMs = 0;
      answer = () => ({ ...textReply('Not yet: the request has expired'), ephemeral: true });
      const response = await cardAndClick();
      expect(await response.json()).toEqual({});
      open();
      await settled();
      expect(fake.ephemerals).toMatchObject([
        {
          user: ALICE,
          post: { channel_id: CHANNEL, message: '**Not yet: the request has expired**' },
        },
      ]);
      expect(fake.ephemerals[0]?.post.root_id).toBe(dispatched[0]?.action?.messageRef);
    });
  });
});
