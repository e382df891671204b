import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, ReceiverEvent } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackFirstHttpReceiver } from '../../../../adapters/slack/ack-first-receivers.js';
import { boltLogger } from '../../../../adapters/slack/bolt-logger.js';
import { httpEndpoint } from '../../../../adapters/slack/http-endpoint.js';
import { silentLogger } from '../../../../src/core/ports/logger.js';
import { slashCommand } from '../../../stand-ins/slack/payloads.js';
import { createSignedClient, formBody } from '../../../stand-ins/slack/signed-client.js';

const SECRET = 'unit-signing-secret';
const NOW_MS = Date.parse('2026-11-30T03:10:00Z');
const nowSec = Math.floor(NOW_MS / 1000);

describe('httpEndpoint', () => {
  const received: ReceiverEvent[] = [];
  let server: Server;
  let url = '';
  let accepting = true;
  const client = createSignedClient({ url: () => url, signingSecret: SECRET });
  const body = formBody(
    slashCommand({
      user: 'U01ALICE',
      channel: 'C0OPS',
      text: 'status',
      responseUrl: 'http://127.0.0.1/r',
    }),
  );

  beforeAll(async () => {
    const receiver = ackFirstHttpReceiver(
      { signingSecret: SECRET, logger: boltLogger(silentLogger) },
      silentLogger,
    );
    // bolt's App only needs processEvent from the receiver's side: record what passed.
    receiver.receiver.init?.({
      processEvent: (event: ReceiverEvent) => {
        received.push(event);
        return Promise.resolve();
      },
    } as unknown as App);
    // Bolt checks staleness against the real clock; the endpoint's own future check takes `now`.
    const endpoint = httpEndpoint(
      receiver,
      silentLogger,
      () => accepting,
      () => Date.now(),
    );
    server = createServer((req, res) => endpoint.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const ts = () => Math.floor(Date.now() / 1000);
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it('acks a correctly signed request with 200, then hands it to bolt', async () => {
    const response = await client.send(body, {
      timestamp: ts(),
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(response.status).toBe(200);
    await until(() => received.length > 0);
    expect(received.at(-1)).toMatchObject({ retryNum: 1, retryReason: 'http_timeout' });
    expect(received.at(-1)?.body).toMatchObject({
      user_id: 'U01ALICE',
      text: 'status',
      command: '/tas',
    });
  });

  it('refuses a signed timestamp more than five minutes ahead before bolt sees it', async () => {
    const before = received.length;
    expect((await client.send(body, { timestamp: ts() + 5 * 60 + 1 })).status).toBe(401);
    expect(received.length).toBe(before);
  });

  it('answers Slack’s ssl_check and url_verification without handing them to bolt', async () => {
    const before = received.length;
    expect((await client.send('ssl_check=1&token=t')).status).toBe(200);
    const challenge = await client.send(
      JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 't' }),
      { contentType: 'application/json' },
    );
    expect(challenge.status).toBe(200);
    expect(challenge.body).toContain('c-123');
    expect(received.length).toBe(before);
  });

  it('leaves a timestamp up to five minutes ahead to bolt’s check', async () => {
    expect((await client.send(body, { timestamp: ts() + 4 * 60 })).status).toBe(200);
  });

  it('refuses a stale or forged request with 401 (bolt’s verification)', async () => {
    expect((await client.send(body, { timestamp: ts() - 5 * 60 - 1 })).status).toBe(401);
    expect((await client.send(body, { secret: 'other' })).status).toBe(401);
  });

  it('answers 503 while the adapter is not accepting', async () => {
    accepting = false;
    expect((await client.send(body)).status).toBe(503);
    accepting = true;
  });

  it('judges the future against the clock it is given', () => {
    const receiver = ackFirstHttpReceiver(
      { signingSecret: SECRET, logger: boltLogger(silentLogger) },
      silentLogger,
    );
    const endpoint = httpEndpoint(
      receiver,
      silentLogger,
      () => true,
      () => NOW_MS,
    );
    const answers: number[] = [];
    const res = { writeHead: (status: number) => answers.push(status), end: () => undefined };
    const req = {
      method: 'POST',
      url: '/slack/events',
      headers: { 'x-slack-request-timestamp': String(nowSec + 301) },
      resume: () => undefined,
    };
    endpoint.handle(req as never, res as never);
    expect(answers).toEqual([401]);
  });
});
