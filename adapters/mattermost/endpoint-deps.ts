import type { AdapterHost } from '../../src/core/ports/chat-adapter.js';
import type { DeliveryLedger } from '../../src/core/ports/delivery-ledger.js';
import type { Logger } from '../../src/core/ports/logger.js';
import type { MattermostApi } from './mattermost-api.js';
import type { MattermostPoster } from './mattermost-poster.js';

/** What the command and action endpoints share. */
export interface EndpointDeps {
  readonly host: AdapterHost;
  readonly api: MattermostApi;
  readonly poster: MattermostPoster;
  readonly log: Logger;
  /**
   * Claims every delivery before it is dispatched, across bot processes: a proxy may repeat a
   * request, a load balancer may hand the repeat to another process, people double-click.
   */
  readonly ledger: DeliveryLedger;
  readonly commandToken: string;
  /** The key buttons are signed with. */
  readonly actionKey: Buffer;
  /** The slash command without `/`. */
  readonly command: string;
  readonly now: () => number;
  /** The bot's own user id, learnt at start. */
  readonly botUserId: () => string | undefined;
  /** Answers being worked out, so stop() can let them finish. */
  readonly inFlight: Set<Promise<void>>;
  /** How long a click waits for the core before answering the server; a default otherwise. */
  readonly clickAnswerMs?: number;
}

/** A trigger_id is never reused; an hour covers any repeat of a request with room to spare. */
export const REDELIVERY_MS = 60 * 60_000;
/** Two clicks of one person on one button within this are one click. */
export const DOUBLE_CLICK_MS = 5_000;

/** Whether this process answers: every claim won, in order (the first lost stops the rest). */
export async function claimAll(
  ledger: DeliveryLedger,
  claims: readonly { key: string; ttlMs: number }[],
): Promise<boolean> {
  for (const { key, ttlMs } of claims) if (!(await ledger.claim(key, ttlMs))) return false;
  return true;
}

/** Keeps `work` in `inFlight` until it settles; its failure is logged, never thrown. */
export function track(deps: EndpointDeps, work: Promise<void>, what: string): void {
  const tracked = work.catch((error: unknown) =>
    deps.log.error({ err: error }, `answering a Mattermost ${what} failed`),
  );
  deps.inFlight.add(tracked);
  void tracked.finally(() => deps.inFlight.delete(tracked));
}
