import { DiscordAPIError } from 'discord.js';
import type { ChatEvent } from '../../src/core/chat-event.js';
import type { AdapterHost } from '../../src/core/ports/chat-adapter.js';
import type { Logger } from '../../src/core/ports/logger.js';
import type { Reply } from '../../src/core/reply.js';
import type { OptionSpec } from './command-options.js';
import type { DiscordDelivery } from './discord-delivery.js';
import { renderMessage } from './render-message.js';
import { renderPlain } from './render-plain.js';
import { toMessageOptions } from './to-message-options.js';

/** What the interaction handlers share. */
export interface InteractionDeps {
  readonly host: AdapterHost;
  readonly command: string;
  /** Subcommand name → its options, as registered. */
  readonly options: ReadonlyMap<string, readonly OptionSpec[]>;
  readonly delivery: DiscordDelivery;
  readonly log: Logger;
  readonly now: () => Date;
  /** Autocomplete answers within this, cached names or not (Discord allows 3 s). */
  readonly autocompleteBudgetMs: number;
}

export function messageOptions(deps: InteractionDeps, reply: Reply) {
  return toMessageOptions(renderMessage(reply, { command: deps.command }));
}

/**
 * The same answer with nothing Discord could object to: the headline and the whole reply as a
 * file. Used when Discord refused the rich message, so the user still gets the answer.
 */
export function plainOptions(deps: InteractionDeps, reply: Reply) {
  return toMessageOptions(
    renderMessage(
      {
        title: reply.title,
        blocks: [
          {
            kind: 'text',
            text: 'Discord refused the formatted answer; all of it is in the attached file.',
          },
        ],
        attachments: [
          {
            filename: 'answer.txt',
            contentType: 'text/plain',
            content: renderPlain(reply, `/${deps.command}`),
          },
        ],
      },
      { command: deps.command },
    ),
  );
}

/** Runs `send` with the rich message, and once more with the plain one if Discord refuses it. */
export async function withPlainFallback<T>(
  deps: InteractionDeps,
  reply: Reply,
  send: (options: ReturnType<typeof messageOptions>) => Promise<T>,
): Promise<T> {
  try {
    return await send(messageOptions(deps, reply));
  } catch (error) {
    // Only a refusal (4xx: limits, form body) has a plainer retry; network trouble does not.
    if (!(error instanceof DiscordAPIError) || error.status < 400 || error.status >= 500)
      throw error;
    deps.log.error(
      { err: error, title: reply.title },
      'Discord refused a rendered message; sending it as a file',
    );
    return send(plainOptions(deps, reply));
  }
}

/**
 * `host.dispatch` never rejects by contract; should it anyway, the user still gets an answer
 * instead of a deferral that thinks forever.
 */
export function dispatchSafely(deps: InteractionDeps, event: ChatEvent): Promise<Reply> {
  return deps.host.dispatch(event).catch((error: unknown) => {
    deps.log.error({ err: error, eventId: event.id }, 'the core failed to answer an interaction');
    return {
      title: 'Something went wrong on my side; the details are in the bot log.',
      blocks: [],
      ephemeral: true,
    };
  });
}
