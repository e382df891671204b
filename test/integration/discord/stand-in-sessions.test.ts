import { Client, DiscordAPIError, Events, GatewayIntentBits, RESTJSONErrorCodes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayDelivery } from '../../stand-ins/discord/fake-gateway.js';
import {
  startDiscordStandIn,
  type DiscordStandIn,
} from '../../stand-ins/discord/discord-stand-in.js';

/** What one discord.js client did with each interaction it was handed: deferred, or refused. */
type Outcome = 'deferred' | number;

/** A real discord.js client that defers every slash command it receives. */
async function deferringClient(s: DiscordStandIn) {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: s.apiUrl } });
  const outcomes = new Map<string, Outcome>();
  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    interaction.deferReply().then(
      () => outcomes.set(interaction.id, 'deferred'),
      (error: unknown) =>
        outcomes.set(interaction.id, error instanceof DiscordAPIError ? Number(error.code) : -1),
    );
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(s.token);
  await ready;
  return { client, outcomes };
}

async function standIn(delivery: GatewayDelivery | undefined): Promise<DiscordStandIn> {
  const s = await startDiscordStandIn({
    channels: ['ops'],
    heartbeatIntervalMs: 1500,
    ...(delivery !== undefined && { gatewayDelivery: delivery }),
  });
  const res = await fetch(
    `${s.apiUrl}/v10/applications/${s.applicationId}/guilds/${s.guildId}/commands`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bot ${s.token}` },
      body: JSON.stringify([
        {
          name: 'tas',
          description: 'd',
          options: [{ type: 1, name: 'status', description: 'd', options: [] }],
        },
      ]),
    },
  );
  expect(res.status).toBe(200);
  return s;
}

describe('the Discord stand-in gateway', () => {
  let s: DiscordStandIn;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.destroy();
    await s?.close();
  });

  describe('when it delivers to every session and two bot instances share a token', () => {
    it('hands each interaction to both; the first callback wins and the second gets 40060', async () => {
      s = await standIn('every-session');
      const a = await deferringClient(s);
      const b = await deferringClient(s);
      clients.push(a.client, b.client);
      expect(s.gateway.liveSessions).toBe(2);
      const slash = s.slash({ id: '1' }, { channelId: s.channelId('ops'), subcommand: 'status' });
      const both = await s.until('both clients to answer', () =>
        a.outcomes.has(slash.id) && b.outcomes.has(slash.id)
          ? [a.outcomes.get(slash.id), b.outcomes.get(slash.id)]
          : undefined,
      );
      expect(both.sort()).toEqual(
        [RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged, 'deferred'].sort(),
      );
      const callbacks = slash.calls.filter((c) => c.path.endsWith('/callback'));
      expect(callbacks.map((c) => c.status).sort()).toEqual([204, 400]);
      expect(callbacks.find((c) => c.status === 400)?.error).toEqual({
        code: 40060,
        message: 'Interaction has already been acknowledged.',
      });
      expect(slash.response?.type).toBe(5);
    });
  });

  describe('when it spreads interactions over the sessions of two bot instances', () => {
    it('hands each interaction to one of them, in turn, and each is acknowledged once', async () => {
      s = await standIn('spread-sessions');
      const a = await deferringClient(s);
      const b = await deferringClient(s);
      clients.push(a.client, b.client);
      const slashes = Array.from({ length: 4 }, () =>
        s.slash({ id: '1' }, { channelId: s.channelId('ops'), subcommand: 'status' }),
      );
      await s.until('the clients to answer all four', () =>
        a.outcomes.size + b.outcomes.size === slashes.length ? true : undefined,
      );
      expect([...a.outcomes.values()]).toEqual(['deferred', 'deferred']);
      expect([...b.outcomes.values()]).toEqual(['deferred', 'deferred']);
      expect(slashes.map((slash) => slash.calls.map((c) => c.status))).toEqual(
        slashes.map(() => [204]),
      );
    });
  });

  describe('when it delivers to one session', () => {
    it('hands each interaction to the one client once, which defers it', async () => {
      s = await standIn(undefined);
      const a = await deferringClient(s);
      clients.push(a.client);
      expect(s.gateway.liveSessions).toBe(1);
      const slash = s.slash({ id: '1' }, { channelId: s.channelId('ops'), subcommand: 'status' });
      expect(await s.until('the client to answer', () => a.outcomes.get(slash.id))).toBe(
        'deferred',
      );
      expect(slash.calls.map((c) => c.status)).toEqual([204]);
    });
  });
});
