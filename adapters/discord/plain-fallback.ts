import { DiscordAPIError } from 'discord.js';
import type { Logger } from '../../src/core/ports/logger.js';
import type { Reply } from '../../src/core/reply.js';
import { renderMessage } from './render-message.js';
import { renderPlain } from './render-plain.js';
import { toMessageOptions } from './to-message-options.js';

/** What rendering needs: the slash command's name (`tas`), and a log for refusals. */
export interface RenderDeps {
  readonly command: string;
  readonly log: Logger;
}

export function messageOptions(deps: Pick<RenderDeps, 'command'>, reply: Reply) {
  return toMessageOptions(renderMessage(reply, { command: deps.command }));
}

/**
 * The same answer with nothing Discord could object to: the headline and the whole reply as a
 * file. Used when Discord refused the rich message, so the user still gets the answer.
 */
export function plainOptions(deps: Pick<RenderDeps, 'command'>, reply: Reply) {
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
  deps: RenderDeps,
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
