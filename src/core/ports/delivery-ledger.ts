/**
 * "Has this delivery been seen before, by any process?" Chat platforms deliver some events more
 * than once: Slack retries an HTTP event it thinks went unanswered (same body, `X-Slack-Retry-Num`)
 * and redelivers a Socket Mode envelope; a load balancer may hand the retry to another bot
 * process; Discord may hand one interaction to several gateway sessions; people double-click.
 * Every bot process asks the same ledger, so each delivery is answered by exactly one of them.
 *
 * Keys are the platform's own ids (a Slack trigger_id or action_ts+user, a Discord interaction
 * id), namespaced by the caller (`slack:cmd:…`); the implementation adds the app's key prefix.
 */
export interface DeliveryLedger {
  /**
   * True for exactly one caller per key within `ttlMs`, whichever process asks; false for every
   * later one. Resolves (never rejects) in the shared implementation the app wires: when the
   * shared store cannot answer, it decides as documented there (it prefers answering).
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
}
