import { randomUUID } from 'node:crypto';
import type { DeliveryIntake, IntakeEntry } from '../../../src/core/ports/delivery-intake.js';
import type { DeliveryLedger } from '../../../src/core/ports/delivery-ledger.js';

/**
 * The intake in one process's memory, on a clock the test moves; `takeClaimed` claims in
 * `ledger`, the ledger over the same store.
 */
export function createMemoryDeliveryIntake(
  now: () => number,
  ledger: DeliveryLedger,
): DeliveryIntake {
  const entries = new Map<string, { payload: string; deadline: number }>();
  const take = (payload: string, leaseMs: number) => {
    const id = randomUUID();
    entries.set(id, { payload, deadline: now() + leaseMs });
    return id;
  };
  return {
    take: (payload, leaseMs) => Promise.resolve(take(payload, leaseMs)),
    async takeClaimed(payload, leaseMs, claims) {
      for (const { key, ttlMs } of claims) if (!(await ledger.claim(key, ttlMs))) return undefined;
      return take(payload, leaseMs);
    },
    renew(id, leaseMs) {
      const entry = entries.get(id);
      if (entry !== undefined) entry.deadline = now() + leaseMs;
      return Promise.resolve();
    },
    done(id) {
      entries.delete(id);
      return Promise.resolve();
    },
    reclaim(leaseMs, max) {
      const out: IntakeEntry[] = [];
      for (const [id, entry] of entries) {
        if (out.length >= max) break;
        if (entry.deadline > now()) continue;
        entry.deadline = now() + leaseMs;
        out.push({ id, payload: entry.payload });
      }
      return Promise.resolve(out);
    },
  };
}
