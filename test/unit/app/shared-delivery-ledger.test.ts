import { describe, expect, it } from 'vitest';
import { sharedDeliveryLedger } from '../../../src/app/shared-delivery-ledger.js';
import type { DeliveryLedger } from '../../../src/core/ports/delivery-ledger.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { createMemoryDeliveryLedger } from '../../../src/lib/recent-ids.js';

const ledgerOver = (shared: DeliveryLedger) =>
  sharedDeliveryLedger({
    shared,
    local: createMemoryDeliveryLedger({ max: 100 }),
    timeoutMs: 20,
    log: silentLogger,
  });

describe('sharedDeliveryLedger', () => {
  describe('when another process has claimed the delivery', () => {
    it('refuses it here', async () => {
      const ledger = ledgerOver({ claim: () => Promise.resolve(false) });
      expect(await ledger.claim('slack:cmd-1', 60_000)).toBe(false);
    });
  });

  describe('when Redis fails', () => {
    it('answers the delivery rather than leave the user without an answer', async () => {
      const ledger = ledgerOver({
        claim: () => Promise.reject(new Error('Connection is closed.')),
      });
      expect(await ledger.claim('slack:cmd-1', 60_000)).toBe(true);
    });

    it('still refuses a redelivery to this same process', async () => {
      const ledger = ledgerOver({
        claim: () => Promise.reject(new Error('Connection is closed.')),
      });
      await ledger.claim('slack:cmd-1', 60_000);
      expect(await ledger.claim('slack:cmd-1', 60_000)).toBe(false);
    });
  });

  describe('when Redis does not answer', () => {
    it('answers the delivery once the claim has waited its bound', async () => {
      const ledger = ledgerOver({ claim: () => new Promise<boolean>(() => undefined) });
      expect(await ledger.claim('discord:interaction-1', 60_000)).toBe(true);
    });
  });
});
