import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pkg from '@mattermost/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../stand-ins/mattermost/mattermost-state.js';
import {
  startMattermostStandIn,
  type MattermostStandIn,
} from '../../stand-ins/mattermost/mattermost-stand-in.js';

const { Client4 } = pkg;

const TOKEN = 'standinbottoken0000000000b';
const COMMAND_TOKEN = newId();
const BOT = { id: newId(), username: 'tas', is_bot: true };
const ALICE = { id: newId(), username: 'alice' };
const DAVE = { id: newId(), username: 'dave' };
const OPS = { id: newId(), name: 'ops' };

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A bot endpoint that records what the server sent and answers what the test sets. */
async function startReceiver() {
  const received: Received[] = [];
  let reply: { status: number; type: string; body: string } = {
    status: 200,
    type: 'application/json',
    body: '{}',
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(reply.status, { 'content-type': reply.type });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    answer(body: unknown, status = 200, type = 'application/json') {
      reply = { status, type, body: typeof body === 'string' ? body : JSON.stringify(body) };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The requests the stand-in sends the bot must be the ones the Mattermost server sends: a
 * slash command's form body and token header, a click's JSON with the action's hidden context,
 * and the server's handling of the answers.
 */
describe('the Mattermost stand-in’s integrations', () => {
  let mm: MattermostStandIn;
  let bot: Awaited<ReturnType<typeof startReceiver>>;
  let client: InstanceType<typeof Client4>;
  beforeAll(async () => {
    bot = await startReceiver();
    mm = await startMattermostStandIn({
      botToken: TOKEN,
      bot: BOT,
      users: [ALICE, DAVE],
      channels: [OPS],
      groups: ['developers'],
      command: {
        trigger: 'tas',
        token: COMMAND_TOKEN,
        url: () => `${bot.base}/mattermost/command`,
      },
    });
    client = new Client4();
    client.setUrl(mm.url);
    client.setToken(TOKEN);
  });
  afterAll(async () => {
    await mm?.close();
    await bot?.close();
  });
  beforeEach(() => {
    bot.answer({});
  });

  describe('when a user types /tas', () => {
    it('POSTs the form-encoded fields with sorted keys and Authorization: Token <command token>', async () => {
      const result = await mm.slash(ALICE.id, 'restart backend now', OPS.id);
      expect(result.status).toBe(200);
      const sent = bot.received.at(-1);
      expect(sent?.path).toBe('/mattermost/command');
      expect(sent?.headers).toMatchObject({
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Token ${COMMAND_TOKEN}`,
        accept: 'application/json',
        'user-agent': 'Mattermost-Bot/1.1',
      });
      const keys = [...new URLSearchParams(sent?.body)].map(([k]) => k);
      expect(keys).toEqual([...keys].sort());
      expect(Object.fromEntries(new URLSearchParams(sent?.body))).toMatchObject({
        channel_id: OPS.id,
        channel_name: 'ops',
        command: '/tas',
        root_id: '',
        team_domain: 'standin',
        team_id: mm.team.id,
        text: 'restart backend now',
        token: COMMAND_TOKEN,
        user_id: ALICE.id,
        user_name: 'alice',
      });
      expect(sent?.body).toContain('text=restart+backend+now');
      expect(result.fields.response_url).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/hooks\/commands\/[a-z0-9]{26}$/,
      );
      expect(Buffer.from(result.fields.trigger_id ?? '', 'base64').toString()).toContain(
        `:${ALICE.id}:`,
      );
    });

    it('resends a recorded command byte for byte, headers included', async () => {
      await mm.slash(DAVE.id, 'status', OPS.id);
      const first = mm.state.commands.at(-1);
      if (first === undefined) throw new Error('no command recorded');
      await mm.resendCommand(first);
      const [a, b] = bot.received.slice(-2);
      expect(b?.body).toBe(a?.body);
      expect(b?.headers.authorization).toBe(a?.headers.authorization);
    });

    it('adds the users and channels the text mentions, paired by position', async () => {
      await mm.slash(ALICE.id, 'page @dave about ~ops', OPS.id);
      const pairs = [...new URLSearchParams(bot.received.at(-1)?.body)];
      expect(pairs.filter(([k]) => k.includes('mentions'))).toEqual([
        ['channel_mentions', 'ops'],
        ['channel_mentions_ids', OPS.id],
        ['user_mentions', 'dave'],
        ['user_mentions_ids', DAVE.id],
      ]);
    });

    it('shows a plain-text or ephemeral answer only to the invoker and posts an in_channel one as the invoker', async () => {
      bot.answer('working on it', 200, 'text/plain');
      await mm.slash(ALICE.id, 'status', OPS.id);
      expect(mm.ephemeralsFor(ALICE.id).at(-1)).toMatchObject({
        message: 'working on it',
        via: 'command',
      });
      bot.answer({ response_type: 'in_channel', text: 'ops: OK' });
      await mm.slash(ALICE.id, 'status', OPS.id);
      expect(mm.postsIn(OPS.id).at(-1)).toMatchObject({
        message: 'ops: OK',
        user_id: ALICE.id,
        props: { from_webhook: 'true' },
      });
    });

    it('turns Slack’s <!here> in an answer into a real @here unless skip_slack_parsing is set', async () => {
      bot.answer({ response_type: 'in_channel', text: 'echo <!here> and <@' + DAVE.id + '>' });
      await mm.slash(ALICE.id, 'x', OPS.id);
      expect(mm.postsIn(OPS.id).at(-1)?.message).toBe('echo @here and @dave');
      bot.answer({ response_type: 'in_channel', text: 'echo <!here>', skip_slack_parsing: true });
      await mm.slash(ALICE.id, 'x', OPS.id);
      expect(mm.postsIn(OPS.id).at(-1)?.message).toBe('echo <!here>');
    });

    it('posts nothing and shows the invoker an error when the bot answers non-200', async () => {
      const before = mm.state.posts.length + mm.state.ephemerals.length;
      bot.answer({ text: 'denied' }, 403);
      const result = await mm.slash(ALICE.id, 'status', OPS.id, { token: 'forged' });
      expect(result).toMatchObject({
        status: 500,
        body: { id: 'api.command.execute_command.failed_resp.app_error' },
      });
      expect(bot.received.at(-1)?.headers.authorization).toBe('Token forged');
      expect(mm.state.posts.length + mm.state.ephemerals.length).toBe(before);
    });

    it('takes five delayed answers through the response_url, then refuses with 400', async () => {
      const { fields } = await mm.slash(DAVE.id, 'logs', OPS.id);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const r = await fetch(fields.response_url ?? '', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: `part ${i}` }),
        });
        statuses.push(r.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 400]);
      expect(
        mm
          .ephemeralsFor(DAVE.id)
          .filter((e) => e.via === 'response_url')
          .map((e) => e.message),
      ).toEqual(['part 0', 'part 1', 'part 2', 'part 3', 'part 4']);
      expect(
        (await fetch(`${mm.url}/hooks/commands/${newId()}`, { method: 'POST', body: 'x' })).status,
      ).toBe(404);
    });
  });

  describe('when a user clicks a button', () => {
    async function postCard(): Promise<string> {
      const url = `${bot.base}/mattermost/action`;
      const post = await client.createPost({
        channel_id: OPS.id,
        message: 'restart ops_backend — waiting for approval',
        props: {
          attachments: [
            {
              text: 'approve?',
              actions: [
                {
                  id: 'approve',
                  name: 'Approve',
                  type: 'button',
                  integration: { url, context: { sig: 'secret-ctx' } },
                },
                { id: 'bad_id', name: 'Bad', type: 'button', integration: { url } },
              ],
            },
          ],
        },
      });
      return post.id;
    }

    it('POSTs the server’s JSON request with the hidden context to the integration URL', async () => {
      const id = await postCard();
      expect(JSON.stringify(await client.getPost(id))).not.toContain('secret-ctx');
      const result = await mm.click(DAVE.id, id, 'approve');
      expect(result).toMatchObject({ status: 200, body: { status: 'OK' } });
      const sent = bot.received.at(-1);
      expect(sent?.headers).toMatchObject({
        'content-type': 'application/json',
        accept: 'application/json',
      });
      expect(sent?.headers.authorization).toBeUndefined();
      const body = JSON.parse(sent?.body ?? '{}') as Record<string, unknown>;
      expect(Object.keys(body)).toEqual([
        'user_id',
        'user_name',
        'channel_id',
        'channel_name',
        'team_id',
        'team_domain',
        'post_id',
        'trigger_id',
        'type',
        'data_source',
        'context',
      ]);
      expect(body).toMatchObject({
        user_id: DAVE.id,
        user_name: 'dave',
        channel_id: OPS.id,
        channel_name: 'ops',
        post_id: id,
        type: 'button',
        data_source: '',
        context: { sig: 'secret-ctx' },
      });
    });

    it('edits the post with the answer’s update, keeping from_webhook, and shows ephemeral_text to the clicker in the thread', async () => {
      const id = await postCard();
      bot.answer({
        update: { message: 'approved by @dave', props: {} },
        ephemeral_text: 'done <!channel>',
      });
      await mm.click(DAVE.id, id, 'approve');
      const post = await client.getPost(id);
      expect(post.message).toBe('approved by @dave');
      expect(post.props).toEqual({});
      expect(mm.post(id)?.history).toHaveLength(1);
      expect(mm.ephemeralsFor(DAVE.id).at(-1)).toMatchObject({
        message: 'done @channel',
        root_id: id,
        channel_id: OPS.id,
        via: 'action',
      });
    });

    it('keeps all props when the update has none, and fails the click when the bot answers non-200', async () => {
      const id = await postCard();
      bot.answer({ update: { message: 'same buttons' } });
      await mm.click(ALICE.id, id, 'approve');
      expect(mm.post(id)?.props.attachments).toHaveLength(1);
      bot.answer({}, 403);
      expect(await mm.click(ALICE.id, id, 'approve')).toMatchObject({
        status: 400,
        body: { id: 'api.post.do_action.action_integration.app_error' },
      });
    });

    it('never reaches the integration for an action id with _ or -, as older servers route only letters and digits', async () => {
      const id = await postCard();
      const before = bot.received.length;
      expect((await mm.click(ALICE.id, id, 'bad_id')).status).toBe(404);
      expect((await mm.click(ALICE.id, id, 'nosuchaction')).status).toBe(404);
      expect(bot.received).toHaveLength(before);
    });

    it('replays a recorded click byte for byte', async () => {
      const id = await postCard();
      await mm.click(ALICE.id, id, 'approve');
      const first = mm.state.actions.at(-1);
      if (first === undefined) throw new Error('no click recorded');
      await mm.replay(first);
      expect(bot.received.at(-1)?.body).toBe(bot.received.at(-2)?.body);
    });
  });

  describe('when counting mentions', () => {
    async function problemsOf(message: string, props?: unknown): Promise<string[]> {
      const post = await client.createPost({ channel_id: OPS.id, message, props } as never);
      return mm
        .mentionProblems()
        .filter((p) => p.startsWith(`post ${post.id}: `))
        .map((p) => p.split(': ')[1]?.split(' in ')[0] ?? '');
    }

    it('flags @here, @channel, @all, known users and groups in prose, however punctuated', async () => {
      expect(
        await problemsOf('**@here** (@dave) @alice. @Channel _@all_ @developers ~ops'),
      ).toEqual(['@here', '@dave', '@alice', '@channel', '@all', '@developers', '~ops']);
    });

    it('ignores unknown names, code, link URLs and a zero-width space after @', async () => {
      expect(
        await problemsOf(
          '@nobody `@here` [docs](https://example.com/@here) @\u200Bhere ＠channel\n\n```\n@all\n```\n\n    @channel',
        ),
      ).toEqual([]);
    });

    it('flags mentions in attachment text, pretext and field values but not in titles', async () => {
      const problems = await problemsOf('', {
        attachments: [
          {
            title: '@here',
            pretext: '@all',
            text: '@channel',
            fields: [{ title: '@dave', value: '@alice' }],
          },
        ],
      });
      expect(problems).toEqual(['@all', '@channel', '@alice']);
    });
  });
});
