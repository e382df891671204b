import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { Logger } from '../../src/core/ports/logger.js';

/**
 * Discord's refusal of a second acknowledgement: another gateway session of this bot (another
 * bot process) answered the interaction first.
 */
export function isAcknowledgedElsewhere(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged
  );
}

/**
 * How an acknowledgement went: `acknowledged`; `elsewhere` when another process had
 * acknowledged it (the claim in the delivery ledger normally prevents that; it can happen while
 * Redis cannot answer and each process decides alone), so this one stays silent; `failed` for
 * any other refusal (the interaction expired, Discord was unreachable).
 */
export type Acknowledgement = 'acknowledged' | 'elsewhere' | 'failed';

export function acknowledge(
  send: () => Promise<unknown>,
  log: Logger,
  failure: string,
): Promise<Acknowledgement> {
  return send().then(
    () => 'acknowledged',
    (error: unknown) => {
      if (isAcknowledgedElsewhere(error)) {
        log.debug({}, 'another bot process acknowledged the interaction; leaving it to that one');
        return 'elsewhere';
      }
      log.warn({ err: error }, failure);
      return 'failed';
    },
  );
}
