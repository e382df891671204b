import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryIntake } from '../../src/core/ports/delivery-intake.js';
import type { DeliveryLedger } from '../../src/core/ports/delivery-ledger.js';

export interface DeliveryIntakeSubject {
  /** Two intakes as two bot processes hold them, over one shared store. */
  readonly intakes: readonly [DeliveryIntake, DeliveryIntake];
  /** The delivery ledger over the same store, as the second process holds it. */
  readonly ledger: DeliveryLedger;
  /** Lets `ms` pass for the intake (a manual clock, or a real wait). */
  advance(ms: number): Promise<void>;
  close?(): Promise<void>;
}

/** A lease in the tests; the waits around it leave room for a real store's round trips. */
const LEASE = 400;

/**
 * What every delivery intake does: an entry stays with its taker while the lease holds (and
 * while the taker renews it), goes to exactly one other process once the lease has run out,
 * and is gone for good once done.
 */
export function deliveryIntakeContract(make: () => Promise<DeliveryIntakeSubject>): void {
  let subject: DeliveryIntakeSubject;
  beforeEach(async () => {
    subject = await make();
  });
  afterEach(async () => {
    await subject.close?.();
  });

  it('leaves an entry with its taker while the lease holds', async () => {
    const [taker, other] = subject.intakes;
    await taker.take('{"command":"/tas"}', 60_000);
    expect(await other.reclaim(LEASE, 10)).toEqual([]);
  });

  describe('when the taker stays silent past its lease', () => {
    it('hands the entry with its payload to exactly one of two processes reclaiming at once', async () => {
      const [taker, other] = subject.intakes;
      const id = await taker.take('{"command":"/tas status"}', LEASE);
      await subject.advance(LEASE + 150);
      const rounds = await Promise.all([taker.reclaim(LEASE, 10), other.reclaim(LEASE, 10)]);
      expect(rounds.flat()).toEqual([{ id, payload: '{"command":"/tas status"}' }]);
    });

    it('leases the entry anew to the process that reclaimed it', async () => {
      const [taker, other] = subject.intakes;
      await taker.take('p', LEASE);
      await subject.advance(LEASE + 150);
      expect(await other.reclaim(60_000, 10)).toHaveLength(1);
      expect(await taker.reclaim(LEASE, 10)).toEqual([]);
    });

    it('hands over at most the number asked for', async () => {
      const [taker, other] = subject.intakes;
      for (const payload of ['a', 'b', 'c']) await taker.take(payload, LEASE);
      await subject.advance(LEASE + 150);
      expect(await other.reclaim(LEASE, 2)).toHaveLength(2);
    });
  });

  describe('when the taker renews its lease', () => {
    it('keeps the entry past the first lease', async () => {
      const [taker, other] = subject.intakes;
      const id = await taker.take('p', LEASE);
      await subject.advance(LEASE - 150);
      await taker.renew(id, 60_000);
      await subject.advance(300);
      expect(await other.reclaim(LEASE, 10)).toEqual([]);
    });
  });

  describe('when the entry is done', () => {
    it('never hands it over', async () => {
      const [taker, other] = subject.intakes;
      const id = await taker.take('p', LEASE);
      await taker.done(id);
      await subject.advance(LEASE + 150);
      expect(await other.reclaim(LEASE, 10)).toEqual([]);
    });
  });

  claimedTakes(() => subject);
}

/** `takeClaimed`: the claims land in the ledger of the same store, with the entry or instead of it. */
function claimedTakes(current: () => DeliveryIntakeSubject): void {
  describe('when a delivery is taken with its claims', () => {
    it('records it and holds its claims in the ledger', async () => {
      const [taker, other] = current().intakes;
      const id = await taker.takeClaimed('p', LEASE, [{ key: 'slack:cmd-1', ttlMs: 60_000 }]);
      expect(id).toEqual(expect.any(String));
      expect(await current().ledger.claim('slack:cmd-1', 60_000)).toBe(false);
      await current().advance(LEASE + 150);
      expect(await other.reclaim(LEASE, 10)).toEqual([{ id, payload: 'p' }]);
    });

    it('records nothing when a claim was won before', async () => {
      const [taker, other] = current().intakes;
      await current().ledger.claim('slack:cmd-1', 60_000);
      const claims = [
        { key: 'slack:cmd-2', ttlMs: 60_000 },
        { key: 'slack:cmd-1', ttlMs: 60_000 },
      ];
      expect(await taker.takeClaimed('p', LEASE, claims)).toBeUndefined();
      await current().advance(LEASE + 150);
      expect(await other.reclaim(LEASE, 10)).toEqual([]);
    });

    it('records one of two processes taking one delivery at once', async () => {
      const [a, b] = current().intakes;
      const claims = [{ key: 'slack:cmd-1', ttlMs: 60_000 }];
      const ids = await Promise.all([
        a.takeClaimed('p', LEASE, claims),
        b.takeClaimed('p', LEASE, claims),
      ]);
      expect(ids.filter((id) => id !== undefined)).toHaveLength(1);
      await current().advance(LEASE + 150);
      expect(await a.reclaim(LEASE, 10)).toHaveLength(1);
    });
  });
}
