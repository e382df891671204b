import type { ChatEvent } from '../../src/core/chat-event.js';
import type { AdapterHost, Answer } from '../../src/core/ports/chat-adapter.js';
import type { Logger } from '../../src/core/ports/logger.js';
import type { OptionSpec } from './command-options.js';
import type { ChatDelivery } from '../../src/core/ports/chat-delivery.js';
import type { OpenAnswers } from './open-answers.js';

/** What the interaction handlers share. */
export interface InteractionDeps {
  readonly host: AdapterHost;
  readonly command: string;
  /** Subcommand name → its options, as registered. */
  readonly options: ReadonlyMap<string, readonly OptionSpec[]>;
  readonly delivery: ChatDelivery;
  /** Commands whose deferred reply the core may turn into its approval card. */
  readonly openAnswers: OpenAnswers;
  readonly log: Logger;
  readonly now: () => Date;
  /** Autocomplete answers within this, cached names or not (Discord allows 3 s). */
  readonly autocompleteBudgetMs: number;
}

/**
 * `host.dispatch` never rejects by contract; should it anyway, the user still gets an answer
 * instead of a deferral that thinks forever.
 */
export function dispatchSafely(deps: InteractionDeps, event: ChatEvent): Promise<Answer> {
  return deps.host.dispatch(event).catch((error: unknown) => {
    deps.log.error({ err: error, eventId: event.id }, 'the core failed to answer an interaction');
    return {
      reply: {
        title: 'Something went wrong on my side; the details are in the bot log.',
        blocks: [],
        ephemeral: true,
      },
    };
  });
}
