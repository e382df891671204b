import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK, startSlackHarness, type SlackHarness } from '../../support/slack-harness.js';

/** Socket Mode only: the connection's life (connect, keepalive, reconnect). */
describe('the Slack adapter over Socket Mode', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness('socket', { drainMs: 200 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('opens the connection with apps.connections.open and the app token, and reports itself connected', () => {
    const open = h.slack.calls('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.status).toBe(200);
    expect(h.adapter.connected()).toBe(true);
  });

  it('reconnects when Slack asks it to refresh, and keeps answering', async () => {
    h.slack.socket.disconnect('refresh_requested');
    await h.slack.socket.connected(2);
    await h.slack.waitFor('the adapter connected again', () =>
      h.adapter.connected() ? true : undefined,
    );
    expect(h.slack.calls('apps.connections.open')).toHaveLength(2);
    const { ack } = await h.slash(SLACK.alice, 'status', SLACK.fix);
    expect(ack.status).toBe(200);
    await h.message(SLACK.fix, /^fix: /);
  });

  it('closes the connection on stop, not waiting forever on an answer stuck behind a silent Docker', async () => {
    await h.slash(SLACK.bob, 'status', SLACK.hung);
    await h.slack.waitFor('the bot reaching the silent Docker', () =>
      h.hole.connections > 0 ? true : undefined,
    );
    await h.adapter.stop();
    // Stopped with the answer still stuck: Docker holds the call, nothing reached the channel.
    expect(h.hole.connections).toBeGreaterThan(0);
    expect(
      [...h.slack.messages, ...h.slack.ephemerals].filter((m) => m.channel === SLACK.hung),
    ).toEqual([]);
    expect(h.adapter.connected()).toBe(false);
    await h.slack.waitFor('the socket closed', () =>
      h.slack.socket.openConnections === 0 ? true : undefined,
    );
  });
});
