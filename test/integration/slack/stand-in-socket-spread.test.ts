import { SocketModeClient } from '@slack/socket-mode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boltLogger } from '../../../adapters/slack/bolt-logger.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { startSlackStandIn, type SlackStandIn } from '../../stand-ins/slack/slack-stand-in.js';

const APP = 'xapp-1-standin';

/** A real Socket Mode client that acks every slash command and remembers the envelopes it got. */
function connectClient(slack: SlackStandIn): { client: SocketModeClient; got: string[] } {
  const client = new SocketModeClient({
    appToken: APP,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logger: boltLogger(silentLogger),
  });
  const got: string[] = [];
  client.on(
    'slash_commands',
    ({ ack, envelope_id }: { ack: () => Promise<void>; envelope_id: string }) => {
      got.push(envelope_id);
      void ack();
    },
  );
  return { client, got };
}

/**
 * The stand-in's Socket Mode end with several connections of one app, driven by the real
 * @slack/socket-mode client: the HA tests rely on it spreading envelopes the way Slack does.
 */
describe('the Slack stand-in’s Socket Mode', () => {
  let slack: SlackStandIn;
  const clients: ReturnType<typeof connectClient>[] = [];
  beforeAll(async () => {
    slack = await startSlackStandIn({ botToken: 'xoxb-1-standin', appToken: APP });
    clients.push(connectClient(slack), connectClient(slack));
    for (const { client } of clients) await client.start();
    await slack.socket.connected(2);
  });
  afterAll(async () => {
    for (const { client } of clients) await client.disconnect();
    await slack?.close();
  });

  const command = (text: string) => ({ command: '/tas', text, trigger_id: text });

  describe('when envelopes are spread over the connections', () => {
    it('hands each connection its share, a redelivery included, and each is acked once', async () => {
      slack.socket.spreadOver('spread');
      const sent = [1, 2, 3].map((n) => slack.socket.send('slash_commands', command(`c${n}`)));
      const retry = slack.socket.send('slash_commands', command('c1'), {
        envelopeId: sent[0]?.envelopeId ?? '',
        retryAttempt: 1,
        retryReason: 'timeout',
      });
      await Promise.all([...sent, retry].map((s) => s.acked));
      const [first, second] = clients.map((c) => c.got);
      expect(first).toHaveLength(2);
      expect(second).toHaveLength(2);
      // The first try went to one connection and its redelivery to the other.
      const firstTry = slack.socket.sent[0];
      const redelivery = slack.socket.sent[3];
      expect(redelivery?.envelopeId).toBe(firstTry?.envelopeId);
      expect(redelivery?.connection).not.toBe(firstTry?.connection);
    });
  });

  describe('when envelopes go to the newest connection', () => {
    it('hands every envelope to that one connection', async () => {
      slack.socket.spreadOver('newest');
      const before = clients.map((c) => c.got.length);
      await Promise.all(
        [4, 5, 6].map((n) => slack.socket.send('slash_commands', command(`c${n}`)).acked),
      );
      expect(clients.map((c, i) => c.got.length - (before[i] ?? 0))).toEqual([0, 3]);
    });
  });
});
