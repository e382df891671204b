import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formBody, signature } from '../../stand-ins/slack/signed-client.js';
import {
  SIGNING_SECRET,
  SLACK,
  startSlackHarness,
  type SlackHarness,
} from '../../support/slack-harness.js';

const FORGED_CHANNEL = 'C0FORGED';
const now = () => Math.floor(Date.now() / 1000);

/** HTTP mode only: what the signed request must prove before anything is dispatched: the v0 signature over the raw body, a fresh timestamp. */
describe('the Slack adapter’s /slack/events endpoint', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness('http');
  });
  afterAll(async () => {
    await h?.close();
  });

  const forgedCommand = () => formBody(h.command(SLACK.alice, 'status', FORGED_CHANNEL));

  it('answers 401 to a request signed with another secret', async () => {
    expect(
      (await h.signed.send(forgedCommand(), { secret: 'not-the-signing-secret' })).status,
    ).toBe(401);
  });

  it('answers 401 to a request without a signature', async () => {
    expect((await h.signed.send(forgedCommand(), { signature: '' })).status).toBe(401);
  });

  it('answers 401 to a correctly signed request older than five minutes', async () => {
    expect((await h.signed.send(forgedCommand(), { timestamp: now() - 6 * 60 })).status).toBe(401);
  });

  it('answers 401 to a correctly signed request from more than five minutes in the future', async () => {
    expect((await h.signed.send(forgedCommand(), { timestamp: now() + 6 * 60 })).status).toBe(401);
  });

  it('answers 401 when the body was changed after signing', async () => {
    const body = formBody(h.command(SLACK.alice, 'status', FORGED_CHANNEL));
    const timestamp = now();
    const signed = signature(SIGNING_SECRET, timestamp, body);
    const tampered = body.replace(`user_id=${SLACK.alice}`, `user_id=${SLACK.dave}`);
    expect((await h.signed.send(tampered, { timestamp, signature: signed })).status).toBe(401);
  });

  it('answers 400 when the Content-Type carries a charset, as bolt compares it exactly', async () => {
    expect(
      (
        await h.signed.send(forgedCommand(), {
          contentType: 'application/x-www-form-urlencoded; charset=utf-8',
        })
      ).status,
    ).toBe(400);
  });

  it('answers Slack’s signed ssl_check with 200 and dispatches nothing for it', async () => {
    expect((await h.signed.send('ssl_check=1&token=verification-token')).status).toBe(200);
  });

  it('accepts a correctly signed request four minutes old, and dispatched none of the refused ones', async () => {
    const ack = await h.signed.send(formBody(h.command(SLACK.bob, 'status', SLACK.fix)), {
      timestamp: now() - 4 * 60,
    });
    expect(ack.status).toBe(200);
    await h.message(SLACK.fix, /^fix: /);
    // Whatever was dispatched would have been answered: only this command was.
    expect(new Set([...h.slack.messages, ...h.slack.ephemerals].map((m) => m.channel))).toEqual(
      new Set([SLACK.fix]),
    );
    expect(h.slack.responses).toEqual([]);
  });

  it('answers 404 to other paths and 503 once stopped', async () => {
    const other = await h.signed.send(
      forgedCommand(),
      {},
      h.eventsUrl.replace('/slack/events', '/slack/other'),
    );
    expect(other.status).toBe(404);
    await h.adapter.stop();
    expect(h.adapter.connected()).toBe(false);
    expect((await h.signed.send(formBody(h.command(SLACK.bob, 'status', SLACK.fix)))).status).toBe(
      503,
    );
  });
});
