import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../../adapters/discord/create-discord-adapter.js';
import type { CommandSpec } from '../../../../src/core/command.js';
import type { AdapterHost } from '../../../../src/core/ports/chat-adapter.js';
import type { DeliveryLedger } from '../../../../src/core/ports/delivery-ledger.js';
import { silentLogger } from '../../../../src/core/ports/logger.js';
import { createMemoryDeliveryLedger } from '../../../../src/lib/recent-ids.js';
import {
  startDiscordStandIn,
  type DiscordStandIn,
} from '../../../stand-ins/discord/discord-stand-in.js';

const status: CommandSpec = {
  name: 'status',
  summary: 'status',
  usage: 'status [env]',
  flags: [],
  permission: 'read',
  environmentPositional: true,
};
const logs: CommandSpec = {
  name: 'logs',
  summary: 'logs',
  usage: 'logs <service> [--since 15m]',
  flags: [{ name: 'since', type: 'string' }],
  permission: 'read',
};

const host: AdapterHost = {
  dispatch: () => Promise.resolve({ reply: { title: 'ok', blocks: [] } }),
  serviceNames: () => Promise.resolve([]),
  log: silentLogger,
};

describe('Discord command registration', () => {
  let s: DiscordStandIn;
  afterEach(async () => {
    await s?.close();
  });

  /** One bot process's adapter started and stopped again. */
  async function startOnce(
    specs: readonly CommandSpec[],
    guild = true,
    ledger?: DeliveryLedger,
  ): Promise<void> {
    const adapter = createDiscordAdapter(ledger === undefined ? host : { ...host, ledger }, {
      discord: {
        token: s.token,
        applicationId: s.applicationId,
        apiUrl: s.apiUrl,
        ...(guild && { guildId: s.guildId }),
      },
      command: 'tas',
      commands: specs,
    });
    await adapter.start();
    await adapter.stop();
  }

  const puts = () => s.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands'));

  describe('when the bot starts again with the same commands', () => {
    it('reads them and sends no second PUT, in the guild and globally', async () => {
      s = await startDiscordStandIn({ channels: ['ops'] });
      await startOnce([status, logs]);
      await startOnce([status, logs]);
      await startOnce([status, logs], false);
      await startOnce([status, logs], false);
      expect(puts().map((r) => r.path)).toEqual([
        `/applications/${s.applicationId}/guilds/${s.guildId}/commands`,
        `/applications/${s.applicationId}/commands`,
      ]);
      expect(s.commands.guild[0]).not.toHaveProperty('contexts');
      expect(s.commands.global[0]).toMatchObject({ contexts: [0], integration_types: [0] });
    });
  });

  describe('when two bot processes sharing the ledger start together', () => {
    it('sends one PUT between them', async () => {
      s = await startDiscordStandIn({ channels: ['ops'] });
      const shared = createMemoryDeliveryLedger({ max: 100 });
      await Promise.all([
        startOnce([status, logs], true, shared),
        startOnce([status, logs], true, shared),
      ]);
      expect(puts()).toHaveLength(1);
      expect(s.commands.guild.map((c) => c.name)).toEqual(['tas']);
    });
  });

  describe('when the commands changed since the last registration', () => {
    it('registers the new ones with one PUT', async () => {
      s = await startDiscordStandIn({ channels: ['ops'] });
      await startOnce([status]);
      await startOnce([status, logs]);
      expect(puts()).toHaveLength(2);
      const subcommands = (s.commands.guild[0]?.options as { name: string }[]).map((o) => o.name);
      expect(subcommands).toEqual(['status', 'logs']);
    });
  });
});
