import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DM_REFUSAL, GUILD_REFUSAL } from '../../../adapters/discord/place-refusal.js';
import { startDiscordHarness, type DiscordHarness } from '../../support/discord-harness.js';
import type { Place } from '../../stand-ins/discord/discord-stand-in.js';
import type { InteractionRecord } from '../../stand-ins/discord/stand-in-state.js';

const EPHEMERAL = 64;
const CHANNEL_MESSAGE = 4;

describe('the Discord adapter', () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await startDiscordHarness({ services: { backend: 1 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A `/tas status` from `place` by Alice, who may read everywhere the bot serves. */
  async function statusFrom(place: Place): Promise<InteractionRecord> {
    const record = h.standIn.slash(h.member('alice'), {
      channelId: h.channels.ops,
      subcommand: 'status',
      place,
    });
    await h.standIn.until('the answer', () => record.response);
    return record;
  }

  describe('when an interaction comes from a server other than the configured one', () => {
    it('answers at once with a private refusal and dispatches nothing', async () => {
      const record = await statusFrom({ guildId: '999999999999999999' });
      expect(record.response).toMatchObject({ type: CHANNEL_MESSAGE, flags: EPHEMERAL });
      expect(record.calls).toHaveLength(1);
      expect(record.calls[0]?.body?.data).toMatchObject({ content: GUILD_REFUSAL });
      // A dispatch would have deferred first: one answer, the refusal, and nothing after it.
      expect(record.followUps).toEqual([]);
    });
  });

  describe('when an interaction comes from a direct message', () => {
    it('answers at once with a private refusal and dispatches nothing', async () => {
      const record = await statusFrom('dm');
      expect(record.response).toMatchObject({ type: CHANNEL_MESSAGE, flags: EPHEMERAL });
      expect(record.calls).toHaveLength(1);
      expect(record.calls[0]?.body?.data).toMatchObject({ content: DM_REFUSAL });
      // A dispatch would have deferred first: one answer, the refusal, and nothing after it.
      expect(record.followUps).toEqual([]);
    });
  });

  describe('when the same command comes from the configured server', () => {
    it('dispatches it and answers with the status', async () => {
      const record = await statusFrom('home');
      await h.standIn.until('the status answer', () =>
        record.originalState === 'resolved' ? true : undefined,
      );
      expect(record.response?.flags).toBe(0);
      expect(String(h.standIn.message(record.originalId ?? '')?.json.content)).toContain('ops');
    });
  });
});
