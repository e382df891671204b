import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryLedger } from '../../src/core/ports/delivery-ledger.js';

export interface DeliveryLedgerSubject {
  /**
   * Two ledgers as two bot processes hold them: over one shared store (two Redis connections),
   * or the same one twice where the implementation lives in one process's memory.
   */
  readonly ledgers: readonly [DeliveryLedger, DeliveryLedger];
  /** Lets `ms` pass for the ledger (a manual clock, or a real wait). */
  advance(ms: number): Promise<void>;
  close?(): Promise<void>;
}

/**
 * What every delivery ledger does: of any number of claims of one key within its ttl exactly one
 * is won, whichever ledger (process) makes it; keys are apart; a claim lapses after its ttl.
 */
export function deliveryLedgerContract(make: () => Promise<DeliveryLedgerSubject>): void {
  let subject: DeliveryLedgerSubject;
  beforeEach(async () => {
    subject = await make();
  });
  afterEach(async () => {
    await subject.close?.();
  });

  it('lets the first claim of a key win and refuses the repeats', async () => {
    const [ledger] = subject.ledgers;
    expect(await ledger.claim('slack:cmd-1', 60_000)).toBe(true);
    expect(await ledger.claim('slack:cmd-1', 60_000)).toBe(false);
  });

  it('keeps keys apart', async () => {
    const [ledger] = subject.ledgers;
    await ledger.claim('slack:cmd-1', 60_000);
    expect(await ledger.claim('slack:cmd-2', 60_000)).toBe(true);
  });

  describe('when two processes claim one delivery at once', () => {
    it('lets exactly one claim win', async () => {
      const [a, b] = subject.ledgers;
      const claims = Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).claim('discord:interaction-1', 60_000),
      );
      const won = (await Promise.all(claims)).filter(Boolean);
      expect(won).toHaveLength(1);
    });

    it('refuses a retry in the other process', async () => {
      const [a, b] = subject.ledgers;
      expect(await a.claim('slack:retried', 60_000)).toBe(true);
      expect(await b.claim('slack:retried', 60_000)).toBe(false);
    });
  });

  describe('when the claim’s ttl has passed', () => {
    it('lets the key be claimed again', async () => {
      const [ledger] = subject.ledgers;
      await ledger.claim('slack:click', 50);
      await subject.advance(200);
      expect(await ledger.claim('slack:click', 50)).toBe(true);
    });

    it('still refuses a key claimed with a longer ttl', async () => {
      const [ledger] = subject.ledgers;
      await ledger.claim('slack:click', 50);
      await ledger.claim('slack:event', 60_000);
      await subject.advance(200);
      expect(await ledger.claim('slack:event', 60_000)).toBe(false);
    });
  });
}
