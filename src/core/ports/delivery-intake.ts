/**
 * Deliveries a bot process has acknowledged but not answered yet, kept where every bot process
 * can see them. Slack is acknowledged first (its 3-second deadline) and does not redeliver after
 * a 200, so a process that dies between the ack and the answer would lose the command; an entry
 * taken before the ack outlives it. The process that took an entry holds it by a lease it renews
 * while it works; once the lease runs out (the owner died or went silent) another process
 * reclaims the entry and answers it.
 */
export interface IntakeEntry {
  readonly id: string;
  /** What answering needs, as the taker wrote it (the verified delivery, serialised). */
  readonly payload: string;
}

/** One claim of a delivery in the DeliveryLedger: its key, and how long the claim holds. */
export interface LedgerClaim {
  readonly key: string;
  readonly ttlMs: number;
}

export interface DeliveryIntake {
  /** Records a delivery leased to the caller for `leaseMs`; its id. Rejects when it cannot. */
  take(payload: string, leaseMs: number): Promise<string>;
  /**
   * Claims the delivery's keys in the DeliveryLedger over the same store, in order as
   * `DeliveryLedger.claim` would (the first lost stops the rest), and only when every claim is
   * won records it as `take` does: one atomic step, so an ack waits for one round trip. The
   * entry's id; undefined when a claim was lost (a repeat: nothing recorded, nothing to answer).
   * Rejects when it cannot.
   */
  takeClaimed(
    payload: string,
    leaseMs: number,
    claims: readonly LedgerClaim[],
  ): Promise<string | undefined>;
  /** The owner is still working on it: the lease runs `leaseMs` from now. */
  renew(id: string, leaseMs: number): Promise<void>;
  /** Answered (or found to be a repeat): nobody takes it over any more. */
  done(id: string): Promise<void>;
  /**
   * Up to `max` entries whose lease has run out, each now leased to the caller for `leaseMs`;
   * of processes reclaiming at once, each entry goes to exactly one.
   */
  reclaim(leaseMs: number, max: number): Promise<readonly IntakeEntry[]>;
}
