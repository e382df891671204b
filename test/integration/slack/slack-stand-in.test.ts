import { webApi } from '@slack/bolt';
import { boltLogger } from '../../../adapters/slack/bolt-logger.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackStandIn, type SlackStandIn } from '../../stand-ins/slack/slack-stand-in.js';

const BOT = 'xoxb-1-standin';
const APP = 'xapp-1-standin';
const logger = boltLogger(silentLogger);
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

/**
 * The stand-in itself, driven by the real @slack/web-api client: it must accept what Slack
 * accepts and refuse what Slack refuses, or the adapter's tests prove nothing.
 */
describe('the Slack stand-in', () => {
  let slack: SlackStandIn;
  let client: webApi.WebClient;
  beforeAll(async () => {
    slack = await startSlackStandIn({ botToken: BOT, appToken: APP });
    client = new webApi.WebClient(BOT, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 },
      logger,
    });
  });
  afterAll(async () => {
    await slack?.close();
  });

  const platformError = async (call: Promise<unknown>) => {
    const error: unknown = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof webApi.WebAPIPlatformError))
      throw new Error(`expected a platform error, got ${String(error)}`);
    return error.data;
  };

  it('answers not_authed without a token and invalid_auth with the wrong one', async () => {
    expect(
      await platformError(
        new webApi.WebClient(undefined, { slackApiUrl: slack.apiUrl, logger }).auth.test(),
      ),
    ).toMatchObject({ error: 'not_authed' });
    expect(
      await platformError(
        new webApi.WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, logger }).auth.test(),
      ),
    ).toMatchObject({ error: 'invalid_auth' });
    expect(await platformError(client.apps.connections.open({}))).toMatchObject({
      error: 'invalid_auth',
    });
  });

  it('posts a message and threads replies under the parent, even when given a reply’s ts', async () => {
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'parent' });
    const reply = await client.chat.postMessage({
      channel: 'C1',
      text: 'reply',
      thread_ts: parent.ts ?? '',
    });
    await client.chat.postMessage({
      channel: 'C1',
      text: 'second reply',
      thread_ts: reply.ts ?? '',
    });
    expect(slack.thread('C1', parent.ts ?? '').messages.map((m) => m.text)).toEqual([
      'reply',
      'second reply',
    ]);
    expect(
      await platformError(client.chat.postMessage({ channel: 'C1', text: 'x', thread_ts: '1.2' })),
    ).toMatchObject({ error: 'thread_not_found' });
  });

  it('refuses 51 blocks, a section of 3001 characters, 11 fields and a field of 2001', async () => {
    const many = Array.from({ length: 51 }, () => section('x'));
    expect(
      await platformError(client.chat.postMessage({ channel: 'C1', text: 't', blocks: many })),
    ).toMatchObject({
      error: 'invalid_blocks',
      errors: ['must provide no more than 50 items [json-pointer:/blocks]'],
    });
    expect(
      await platformError(
        client.chat.postMessage({ channel: 'C1', text: 't', blocks: [section('x'.repeat(3001))] }),
      ),
    ).toMatchObject({
      errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    });
    const fields = (n: number, size: number) => [
      {
        type: 'section',
        fields: Array.from({ length: n }, () => ({ type: 'mrkdwn', text: 'f'.repeat(size) })),
      },
    ];
    expect(
      await platformError(
        client.chat.postMessage({ channel: 'C1', text: 't', blocks: fields(11, 1) }),
      ),
    ).toMatchObject({ error: 'invalid_blocks' });
    expect(
      await platformError(
        client.chat.postMessage({ channel: 'C1', text: 't', blocks: fields(1, 2001) }),
      ),
    ).toMatchObject({ error: 'invalid_blocks' });
    await client.chat.postMessage({
      channel: 'C1',
      text: 't',
      blocks: [...Array.from({ length: 49 }, () => section('x'.repeat(3000))), ...fields(10, 2000)],
    });
  });

  it('refuses a button value over 2000, an action_id over 255 and a repeated action_id', async () => {
    const button = (action_id: string, value: string) => ({
      type: 'button',
      action_id,
      value,
      text: { type: 'plain_text', text: 'Go' },
    });
    const post = (elements: unknown[]) =>
      client.chat.postMessage({
        channel: 'C1',
        text: 't',
        blocks: [{ type: 'actions', elements }] as never,
      });
    expect(await platformError(post([button('a', 'v'.repeat(2001))]))).toMatchObject({
      error: 'invalid_blocks',
    });
    expect(await platformError(post([button('a'.repeat(256), 'v')]))).toMatchObject({
      error: 'invalid_blocks',
    });
    expect(await platformError(post([button('a', 'v'), button('a', 'w')]))).toMatchObject({
      errors: ['duplicate action_id [json-pointer:/blocks/0/elements/1/action_id]'],
    });
  });

  it('accepts JSON bodies as Slack does', async () => {
    const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${BOT}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: 'C2', text: 'json', blocks: [section('from json')] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C2' });
  });

  it('truncates text over 40,000 characters and warns, as Slack does', async () => {
    const posted = await client.chat.postMessage({ channel: 'C3', text: 'y'.repeat(40_001) });
    expect(posted.response_metadata?.warnings).toEqual(['message_truncated']);
    expect(slack.messages.find((m) => m.channel === 'C3')?.text).toHaveLength(40_000);
  });

  it('answers 429 with Retry-After, which the client waits out', async () => {
    slack.web.rateLimit('chat.postMessage', 1);
    const posted = await client.chat.postMessage({ channel: 'C4', text: 'after the wait' });
    expect(posted.ok).toBe(true);
    expect(
      slack
        .calls('chat.postMessage')
        .filter((c) => c.params?.channel === 'C4')
        .map((c) => c.status),
    ).toEqual([429, 200]);
  });

  it('takes a file in three steps into a thread', async () => {
    const parent = await client.chat.postMessage({ channel: 'C5', text: 'parent' });
    await client.filesUploadV2({
      channel_id: 'C5',
      thread_ts: parent.ts ?? '',
      file: Buffer.from('file body ✓'),
      filename: 'report.txt',
      title: 'report.txt',
    });
    const [file] = slack.thread('C5', parent.ts ?? '').files;
    expect(file).toMatchObject({
      filename: 'report.txt',
      content: 'file body ✓',
      completed: true,
      length: Buffer.byteLength('file body ✓'),
    });
    expect(
      slack.events
        .filter((e) => e.kind !== 'note')
        .slice(-3)
        .map((e) => e.method ?? e.kind),
    ).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
  });

  it('takes at most five posts on one response_url', async () => {
    const url = slack.newResponseUrl();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push(
        (await fetch(url, { method: 'POST', body: JSON.stringify({ text: `${i}` }) })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
  });

  it('finds unescaped mentions in what was posted', async () => {
    await client.chat.postMessage({
      channel: 'C6',
      text: 'hi <!channel>',
      blocks: [section('&lt;!here&gt; is fine, <@U1> is not')],
    });
    expect(slack.mentionProblems()).toEqual(['<!channel>', '<@U1>']);
  });
});
