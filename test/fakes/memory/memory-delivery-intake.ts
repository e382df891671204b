import { randomUUID } from 'node:crypto';
import type { DeliveryIntake, IntakeEntry } from '../../../src/core/ports/delivery-intake.js';

/** The intake in one process's memory, on a clock the test moves. */
export function createMemoryDeliveryIntake(now: () => number): DeliveryIntake {
  const entries = new Map<string, { payload: string; deadline: number }>();
  return {
    take(payload, leaseMs) {
      const id = randomUUID();
      entries.set(id, { payload, deadline: now() + leaseMs });
      return Promise.resolve(id);
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
