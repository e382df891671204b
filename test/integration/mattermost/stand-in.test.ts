import pkg from '@mattermost/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../stand-ins/mattermost/mattermost-state.js';
import {
  startMattermostStandIn,
  type MattermostStandIn,
} from '../../stand-ins/mattermost/mattermost-stand-in.js';

const { Client4, ClientError } = pkg;
type Client = InstanceType<typeof Client4>;

const TOKEN = 'standinbottoken0000000000a';
const BOT = { id: newId(), username: 'tas', is_bot: true };
const ALICE = { id: newId(), username: 'alice' };
const OPS = { id: newId(), name: 'ops' };
const OTHER = { id: newId(), name: 'other' };

function clientFor(url: string, token: string): Client {
  const client = new Client4();
  client.setUrl(url);
  client.setToken(token);
  return client;
}

async function clientError(call: Promise<unknown>) {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ClientError))
    throw new Error(`expected a ClientError, got ${String(error)}`);
  return error;
}

const card = (url: string) => ({
  attachments: [
    {
      text: 'restart ops_backend?',
      actions: [
        {
          id: 'approve',
          name: 'Approve',
          type: 'button',
          integration: { url, context: { k: 'v' } },
        },
        { name: 'Reject', type: 'button', integration: { url, context: { k: 'w' } } },
      ],
    },
  ],
});

/**
 * The stand-in itself, driven by the real @mattermost/client Client4: it must accept what the
 * Mattermost server accepts and refuse what it refuses, with the shapes Client4 surfaces, or
 * the adapter's tests prove nothing.
 */
describe('the Mattermost stand-in’s REST API', () => {
  let mm: MattermostStandIn;
  let client: Client;
  beforeAll(async () => {
    mm = await startMattermostStandIn({
      botToken: TOKEN,
      bot: BOT,
      users: [ALICE],
      channels: [OPS],
      command: { trigger: 'tas', token: newId() },
    });
    client = clientFor(mm.url, TOKEN);
  });
  afterAll(async () => {
    await mm?.close();
  });

  describe('when the token is missing or wrong', () => {
    it('answers 401 with the session-expired AppError, which Client4 surfaces as a ClientError', async () => {
      for (const token of ['', 'wrongtoken']) {
        const error = await clientError(clientFor(mm.url, token).getMe());
        expect(error).toMatchObject({
          status_code: 401,
          server_error_id: 'api.context.session_expired.app_error',
        });
      }
    });

    it('still answers the ping, which needs no session', async () => {
      expect(await clientFor(mm.url, '').ping(false)).toMatchObject({ status: 'OK' });
    });
  });

  it('returns the bot as the token’s user and other users by id', async () => {
    expect(await client.getMe()).toMatchObject({ id: BOT.id, username: 'tas', is_bot: true });
    expect(await client.getUser(ALICE.id)).toMatchObject({ id: ALICE.id, username: 'alice' });
    const missing = await clientError(client.getUser(newId()));
    expect(missing).toMatchObject({
      status_code: 404,
      server_error_id: 'app.user.missing_account.const',
    });
    expect(await client.getChannel(OPS.id)).toMatchObject({ id: OPS.id, name: 'ops' });
  });

  it('creates a post (201) and threads a reply under its root, refusing a reply to a reply', async () => {
    const root = await client.createPost({ channel_id: OPS.id, message: 'root' });
    expect(root).toMatchObject({
      channel_id: OPS.id,
      user_id: BOT.id,
      root_id: '',
      message: 'root',
    });
    expect(root.id).toMatch(/^[a-z0-9]{26}$/);
    const reply = await client.createPost({
      channel_id: OPS.id,
      message: 'reply',
      root_id: root.id,
    });
    const thread = await client.getPostThread(root.id);
    expect(thread.order).toEqual([reply.id, root.id]);
    expect(thread.posts[reply.id]?.root_id).toBe(root.id);
    const nested = await clientError(
      client.createPost({ channel_id: OPS.id, message: 'x', root_id: reply.id }),
    );
    expect(nested).toMatchObject({
      status_code: 400,
      server_error_id: 'api.post.create_post.root_id.app_error',
    });
  });

  it('refuses a post in a channel the bot is not in with 403', async () => {
    const error = await clientError(client.createPost({ channel_id: OTHER.id, message: 'x' }));
    expect(error).toMatchObject({
      status_code: 403,
      server_error_id: 'api.context.permissions.app_error',
    });
  });

  it('accepts 16383 characters, counting code points, and refuses 16384 with the server’s error id', async () => {
    const astral = '😀'.repeat(16383);
    expect((await client.createPost({ channel_id: OPS.id, message: astral })).message).toBe(astral);
    const error = await clientError(
      client.createPost({ channel_id: OPS.id, message: 'x'.repeat(16384) }),
    );
    expect(error).toMatchObject({
      status_code: 400,
      server_error_id: 'model.post.is_valid.message_length.app_error',
    });
    expect(mm.sizeRejections()).toHaveLength(1);
  });

  it('patches and updates a post in place, keeping its versions, and refuses another user’s post', async () => {
    const post = await client.createPost({
      channel_id: OPS.id,
      message: 'v1',
      props: card('http://127.0.0.1:9/a'),
    });
    const patched = await client.patchPost({ id: post.id, message: 'v2' });
    expect(patched.message).toBe('v2');
    expect((patched.props as { attachments?: unknown[] }).attachments).toHaveLength(1);
    const updated = await client.updatePost({ ...patched, message: 'v3', props: {} });
    expect(updated.message).toBe('v3');
    expect(updated.props).toEqual({});
    expect(updated.edit_at).toBeGreaterThan(0);
    expect(mm.post(post.id)?.history.map((h) => h.message)).toEqual(['v1', 'v2']);
    const mismatched = await fetch(client.getPostRoute(post.id), {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: newId(), message: 'x' }),
    });
    expect(mismatched.status).toBe(400);
    expect(await mismatched.json()).toMatchObject({
      id: 'api.context.invalid_body_param.app_error',
      status_code: 400,
    });
    const unknown = await clientError(client.patchPost({ id: newId(), message: 'x' }));
    expect(unknown).toMatchObject({ status_code: 403 });
  });

  it('strips every action’s integration from posts it returns, keeps it for itself, and fills missing action ids', async () => {
    const created = await client.createPost({
      channel_id: OPS.id,
      message: 'card',
      props: card('http://127.0.0.1:9/act'),
    });
    const fetched = await client.getPost(created.id);
    for (const post of [created, fetched]) {
      const actions =
        (post.props as { attachments: { actions: Record<string, unknown>[] }[] }).attachments[0]
          ?.actions ?? [];
      expect(actions.map((a) => a.name)).toEqual(['Approve', 'Reject']);
      expect(actions.every((a) => !('integration' in a))).toBe(true);
      expect(actions[1]?.id).toMatch(/^[a-z0-9]{26}$/);
      expect(post.type).toBe('slack_attachment');
    }
    expect(JSON.stringify(mm.post(created.id)?.props)).toContain('http://127.0.0.1:9/act');
  });

  it('uploads a file (multipart, 201), attaches it to a reply and serves its info and content', async () => {
    const root = await client.createPost({ channel_id: OPS.id, message: 'logs' });
    const form = new FormData();
    form.append('channel_id', OPS.id);
    form.append(
      'files',
      new Blob(['line one\nline two\n'], { type: 'text/plain' }),
      'ops-worker-logs.txt',
    );
    const uploaded = await client.uploadFile(form);
    const info = uploaded.file_infos[0];
    expect(info).toMatchObject({
      name: 'ops-worker-logs.txt',
      size: 18,
      channel_id: OPS.id,
      post_id: '',
    });
    const reply = await client.createPost({
      channel_id: OPS.id,
      message: '',
      root_id: root.id,
      file_ids: [info?.id ?? ''],
    });
    expect(reply.file_ids).toEqual([info?.id]);
    expect(mm.thread(root.id).files.map((f) => f.content.toString())).toEqual([
      'line one\nline two\n',
    ]);
    expect(await client.getFileInfosForPost(reply.id)).toMatchObject([
      { id: info?.id, post_id: reply.id },
    ]);
    const content = await fetch(client.getFileUrl(info?.id ?? '', 0), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await content.text()).toBe('line one\nline two\n');
    const many = await clientError(
      client.createPost({
        channel_id: OPS.id,
        message: 'x',
        file_ids: Array.from({ length: 11 }, newId),
      }),
    );
    expect(many).toMatchObject({
      status_code: 400,
      server_error_id: 'model.post.is_valid.file_ids.app_error',
    });
  });

  it('refuses an ephemeral post to a bot without create_post_ephemeral with 403', async () => {
    const error = await clientError(
      client.createPostEphemeral(ALICE.id, { channel_id: OPS.id, message: 'x' }),
    );
    expect(error).toMatchObject({
      status_code: 403,
      server_error_id: 'api.context.permissions.app_error',
    });
    expect(mm.ephemeralsFor(ALICE.id)).toEqual([]);
  });

  describe('when rate limited', () => {
    it('answers 429 before checking the token, with the limiter’s plain-text body and X-RateLimit headers', async () => {
      const limit = mm.rest.rateLimit(3, 1, (route) => route === 'POST /api/v4/posts');
      const raw = await fetch(`${mm.url}/api/v4/posts`, { method: 'POST', body: '{}' });
      expect(raw.status).toBe(429);
      expect(await raw.text()).toBe('limit exceeded\n');
      expect(
        Object.fromEntries([...raw.headers].filter(([k]) => /^(x-ratelimit|retry-after)/.test(k))),
      ).toEqual({
        'x-ratelimit-limit': '10',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '3',
        'retry-after': '3',
      });
      limit.stop();
    });

    it('makes Client4 throw a ClientError without status_code or server_error_id, as the body is not JSON', async () => {
      mm.rest.rateLimit(1, 1);
      const error = await clientError(client.createPost({ channel_id: OPS.id, message: 'x' }));
      expect(error.status_code).toBeUndefined();
      expect(error.server_error_id).toBeUndefined();
      expect(mm.calls('POST /api/v4/posts').at(-1)?.status).toBe(429);
    });
  });
});
