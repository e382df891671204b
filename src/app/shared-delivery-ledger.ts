import type { DeliveryLedger } from '../core/ports/delivery-ledger.js';
import type { Logger } from '../core/ports/logger.js';
import { within } from '../lib/within.js';

export interface SharedDeliveryLedgerOptions {
  /** The ledger every bot process shares (Redis). May reject or hang while Redis is away. */
  readonly shared: DeliveryLedger;
  /** This process's own memory: asked first, and alone while the shared one cannot answer. */
  readonly local: DeliveryLedger;
  /** How long a claim waits for the shared ledger before deciding without it. */
  readonly timeoutMs: number;
  readonly log: Logger;
}

/** How long a claim waits for Redis: well inside Discord's 3 s, and Slack has its ack already. */
export const SHARED_CLAIM_TIMEOUT_MS = 1_000;

/**
 * The ledger the app hands the chat adapters. This process's memory answers first (a retry that
 * lands on the same process costs no round trip); Redis then decides between processes.
 *
 * Fails OPEN: when Redis errs or does not answer within `timeoutMs`, the claim counts as won
 * and the delivery is answered. During a Redis outage a delivery that also reached another
 * process may then be answered twice (two identical answers, or a second vote the request store
 * refuses as already cast), whereas failing closed could leave a user with no answer at all;
 * redeliveries to this same process are still dropped by its memory.
 */
export function sharedDeliveryLedger(options: SharedDeliveryLedgerOptions): DeliveryLedger {
  const { shared, local, timeoutMs, log } = options;
  return {
    async claim(key, ttlMs) {
      if (!(await local.claim(key, ttlMs))) return false;
      try {
        return await within(shared.claim(key, ttlMs), timeoutMs);
      } catch (error) {
        log.warn({ err: error, key }, 'Redis could not record a delivery claim in time; answering');
        return true;
      }
    },
  };
}
