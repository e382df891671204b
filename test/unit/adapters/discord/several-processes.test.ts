import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../../adapters/discord/create-discord-adapter.js';
import type { ChatEvent } from '../../../../src/core/chat-event.js';
import type { CommandSpec } from '../../../../src/core/command.js';
import type { AdapterHost, ChatAdapter } from '../../../../src/core/ports/chat-adapter.js';
import type { DeliveryLedger } from '../../../../src/core/ports/delivery-ledger.js';
import { createMemoryDeliveryLedger } from '../../../../src/lib/recent-ids.js';
import { captureLogger, type LogEntry } from '../../../fakes/capture-logger.js';
import {
  startDiscordStandIn,
  type DiscordStandIn,
} from '../../../stand-ins/discord/discord-stand-in.js';

const specs: CommandSpec[] = [
  {
    name: 'status',
    summary: 'status',
    usage: 'status [env]',
    flags: [],
    permission: 'read',
    environmentPositional: true,
  },
];

/** One bot process: its host (answering `ok: <text>`) and what it dispatched and logged. */
function processHost(ledger: DeliveryLedger | undefined) {
  const events: ChatEvent[] = [];
  const { log, entries } = captureLogger();
  const host: AdapterHost = {
    dispatch(event) {
      events.push(event);
      return Promise.resolve({ reply: { title: `ok: ${event.text}`, blocks: [] } });
    },
    serviceNames: () => Promise.resolve([]),
    log,
    ...(ledger !== undefined && { ledger }),
  };
  return { host, events, logs: entries };
}

describe('the Discord adapter in two bot processes on one token', () => {
  let s: DiscordStandIn;
  const adapters: ChatAdapter[] = [];
  afterEach(async () => {
    for (const adapter of adapters.splice(0)) await adapter.stop();
    await s?.close();
  });

  /** Two adapters whose gateway sessions both receive every interaction. */
  async function twoProcesses(ledgers: readonly [DeliveryLedger, DeliveryLedger]) {
    s = await startDiscordStandIn({ channels: ['ops'], gatewayDelivery: 'every-session' });
    const processes = ledgers.map((ledger) => processHost(ledger));
    for (const p of processes) {
      const adapter = createDiscordAdapter(p.host, {
        discord: {
          token: s.token,
          applicationId: s.applicationId,
          apiUrl: s.apiUrl,
          guildId: s.guildId,
        },
        command: 'tas',
        commands: specs,
      });
      adapters.push(adapter);
      await adapter.start();
    }
    expect(s.gateway.liveSessions).toBe(2);
    return { processes, ops: s.channelId('ops') };
  }

  const dispatched = (processes: readonly { events: ChatEvent[] }[]) =>
    processes.flatMap((p) => p.events.map((e) => e.text));
  const problems = (logs: readonly LogEntry[]) =>
    logs.filter((e) => e.level === 'warn' || e.level === 'error');

  describe('when both share the delivery ledger', () => {
    it('answers each command once, from one process, with no refused callback', async () => {
      const shared = createMemoryDeliveryLedger({ max: 100 });
      const { processes } = await twoProcesses([shared, shared]);
      const records = Array.from({ length: 6 }, () =>
        s.slash({ id: '1' }, { channelId: s.channelId('ops'), subcommand: 'status' }),
      );
      for (const record of records)
        await s.until('the answer', () => (record.originalState === 'resolved' ? true : undefined));
      expect(dispatched(processes)).toEqual(Array.from({ length: 6 }, () => 'status'));
      expect(records.map((r) => r.calls.map((c) => c.status))).toEqual(
        records.map(() => [204, 200]),
      );
      expect(s.rejected()).toEqual([]);
      expect(processes.flatMap((p) => problems(p.logs))).toEqual([]);
    });
  });

  describe('when each decides alone and both acknowledge one interaction', () => {
    it('leaves it to the process Discord accepted first: one answer, the other silent, no error', async () => {
      const { processes, ops } = await twoProcesses([
        createMemoryDeliveryLedger({ max: 100 }),
        createMemoryDeliveryLedger({ max: 100 }),
      ]);
      const record = s.slash({ id: '1' }, { channelId: ops, subcommand: 'status' });
      await s.until('both callbacks', () =>
        record.calls.filter((c) => c.path.endsWith('/callback')).length === 2 ? true : undefined,
      );
      await s.until('the answer', () => (record.originalState === 'resolved' ? true : undefined));
      expect(record.calls.map((c) => `${c.method} ${c.status}`).sort()).toEqual([
        'PATCH 200',
        'POST 204',
        'POST 400',
      ]);
      expect(s.rejected().map((r) => r.error?.code)).toEqual([40060]);
      expect(dispatched(processes)).toEqual(['status']);
      expect(s.channelMessages(ops).map((m) => m.json.content)).toEqual(['**ok: status**']);
      expect(processes.flatMap((p) => problems(p.logs))).toEqual([]);
    });
  });
});
