import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  startDiscordStandIn,
  type DiscordStandIn,
} from '../../stand-ins/discord/discord-stand-in.js';

/**
 * The stand-in's own rules, over raw HTTP and WebSocket: what the adapter tests rely on it to
 * refuse and to do, checked without discord.js in between.
 */
interface Frame {
  op: number;
  s?: number | null;
  t?: string | null;
  d?: unknown;
}

function gatewayClient(url: string) {
  const ws = new WebSocket(`${url}?v=10&encoding=json`);
  const frames: Frame[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (raw: Buffer) => {
    frames.push(JSON.parse(raw.toString('utf8')) as Frame);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return {
    frames,
    closed,
    send: (frame: Frame) => ws.send(JSON.stringify(frame)),
    async next(match: (f: Frame) => boolean): Promise<Frame> {
      for (;;) {
        const found = frames.find(match);
        if (found !== undefined) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    close: () => ws.close(),
  };
}

describe('the Discord stand-in', () => {
  let s: DiscordStandIn;
  afterEach(async () => {
    await s?.close();
  });

  const api = (path: string, init: { method?: string; body?: unknown; auth?: boolean } = {}) =>
    fetch(`${s.apiUrl}/v10${path}`, {
      method: init.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(init.auth !== false && { authorization: `Bot ${s.token}` }),
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });

  async function identified() {
    const gateway = (await (await api('/gateway/bot')).json()) as { url: string };
    const client = gatewayClient(gateway.url);
    await client.next((f) => f.op === 10);
    client.send({ op: 2, d: { token: s.token, intents: 1, properties: {} } });
    await client.next((f) => f.t === 'GUILD_CREATE');
    return client;
  }

  async function registered() {
    const tas = {
      name: 'tas',
      description: 'd',
      options: [{ type: 1, name: 'status', description: 'd', options: [] }],
    };
    expect(
      (
        await api(`/applications/${s.applicationId}/guilds/${s.guildId}/commands`, {
          method: 'PUT',
          body: [tas],
        })
      ).status,
    ).toBe(200);
  }

  it('answers gateway discovery as JSON and refuses a wrong token', async () => {
    s = await startDiscordStandIn();
    const ok = await api('/gateway/bot');
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(await ok.json()).toMatchObject({
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+$/) as unknown,
      shards: 1,
    });
    expect(
      (await fetch(`${s.apiUrl}/v10/gateway/bot`, { headers: { authorization: 'Bot nope' } }))
        .status,
    ).toBe(401);
  });

  it('speaks the gateway: HELLO, ACK for heartbeats, READY with a resume URL, then the guild', async () => {
    s = await startDiscordStandIn({ channels: ['ops'] });
    const client = await identified();
    client.send({ op: 1, d: 2 });
    await client.next((f) => f.op === 11);
    const ready = await client.next((f) => f.t === 'READY');
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({
      session_id: expect.any(String) as unknown,
      resume_gateway_url: expect.stringMatching(/\/resume$/) as unknown,
      application: { id: s.applicationId },
    });
    const guild = await client.next((f) => f.t === 'GUILD_CREATE');
    expect(guild).toMatchObject({
      s: 2,
      d: {
        id: s.guildId,
        channels: [expect.objectContaining({ id: s.channelId('ops'), type: 0 })],
      },
    });
    client.close();
  });

  it('replays what a dropped session missed on RESUME, then says RESUMED; an unknown session is invalid', async () => {
    s = await startDiscordStandIn({ channels: ['ops'] });
    await registered();
    const first = await identified();
    const ready = (await first.next((f) => f.t === 'READY')).d as {
      session_id: string;
      resume_gateway_url: string;
    };
    await s.gateway.drop({ via: 'close', code: 4000 });
    const missed = s.slash({ id: '1' }, { channelId: s.channelId('ops'), subcommand: 'status' });
    const second = gatewayClient(ready.resume_gateway_url);
    await second.next((f) => f.op === 10);
    second.send({ op: 6, d: { token: s.token, session_id: ready.session_id, seq: 2 } });
    const replayed = await second.next((f) => f.t === 'INTERACTION_CREATE');
    expect(replayed).toMatchObject({
      s: 3,
      d: { id: missed.id, entitlements: [], authorizing_integration_owners: { '0': s.guildId } },
    });
    expect(await second.next((f) => f.t === 'RESUMED')).toMatchObject({ s: 4 });
    const stranger = gatewayClient(ready.resume_gateway_url);
    await stranger.next((f) => f.op === 10);
    stranger.send({ op: 6, d: { token: s.token, session_id: 'nope', seq: 0 } });
    expect(await stranger.next((f) => f.op === 9)).toMatchObject({ d: false });
    second.close();
    stranger.close();
  });

  it('takes one response per interaction, within the deadline', async () => {
    s = await startDiscordStandIn({ channels: ['ops'], deadlineMs: 200 });
    await registered();
    await identified();
    const a = s.slash({ id: '1' }, { channelId: s.channelId('ops'), subcommand: 'status' });
    expect(
      (
        await api(`/interactions/${a.id}/${a.token}/callback`, {
          method: 'POST',
          body: { type: 5 },
          auth: false,
        })
      ).status,
    ).toBe(204);
    const twice = await api(`/interactions/${a.id}/${a.token}/callback`, {
      method: 'POST',
      body: { type: 5 },
      auth: false,
    });
    expect([twice.status, ((await twice.json()) as { code: number }).code]).toEqual([400, 40060]);
    const late = s.slash({ id: '1' }, { channelId: s.channelId('ops'), subcommand: 'status' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const expired = await api(`/interactions/${late.id}/${late.token}/callback`, {
      method: 'POST',
      body: { type: 5 },
      auth: false,
    });
    expect([expired.status, ((await expired.json()) as { code: number }).code]).toEqual([
      404, 10062,
    ]);
  });

  it('turns the first follow-up after a deferral into the answer, keeping the deferral’s visibility', async () => {
    s = await startDiscordStandIn({ channels: ['ops'] });
    await registered();
    await identified();
    const i = s.slash({ id: '1' }, { channelId: s.channelId('ops'), subcommand: 'status' });
    await api(`/interactions/${i.id}/${i.token}/callback`, {
      method: 'POST',
      body: { type: 5 },
      auth: false,
    });
    const first = (await (
      await api(`/webhooks/${s.applicationId}/${i.token}`, {
        method: 'POST',
        body: { content: 'secret', flags: 64 },
        auth: false,
      })
    ).json()) as { id: string; flags: number };
    expect(first).toMatchObject({ id: i.originalId, flags: 0 });
    const second = (await (
      await api(`/webhooks/${s.applicationId}/${i.token}`, {
        method: 'POST',
        body: { content: 'secret', flags: 64 },
        auth: false,
      })
    ).json()) as { id: string; flags: number };
    expect(second.flags).toBe(64);
    expect(i.followUps).toEqual([second.id]);
  });

  it('refuses messages past Discord’s limits, naming each problem', async () => {
    s = await startDiscordStandIn({ channels: ['ops'] });
    await identified();
    const row = {
      type: 1,
      components: [{ type: 2, style: 1, label: 'x', custom_id: 'c'.repeat(101) }],
    };
    const response = await api(`/channels/${s.channelId('ops')}/messages`, {
      method: 'POST',
      body: {
        content: 'x'.repeat(2001),
        embeds: [{ description: 'd'.repeat(4097) }, { description: 'd'.repeat(2000) }],
        components: [row, row, row, row, row, row],
      },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: number }).code).toBe(50035);
    expect(s.rejected()[0]?.error?.problems).toEqual([
      'content: 2001 characters, at most 2000',
      'embeds.0.description: 4097 characters, at most 4096',
      'embeds: 6097 characters in total, at most 6000',
      'components: 6 action rows, at most 5',
      ...Array.from(
        { length: 6 },
        (_, i) => `components.${i}.components.0.custom_id: 101 characters, must be 1-100`,
      ),
    ]);
    expect(
      (await api(`/channels/${s.channelId('ops')}/messages`, { method: 'POST', body: {} })).status,
    ).toBe(400);
  });

  it('records who a message would notify under Discord’s defaults', async () => {
    s = await startDiscordStandIn({ channels: ['ops'] });
    await identified();
    await api(`/channels/${s.channelId('ops')}/messages`, {
      method: 'POST',
      body: { content: '@everyone <@123>' },
    });
    await api(`/channels/${s.channelId('ops')}/messages`, {
      method: 'POST',
      body: { content: '@everyone <@123>', allowed_mentions: { parse: [] } },
    });
    expect(s.pings.map((p) => p.pings)).toEqual([['user:123', 'everyone']]);
  });
});
