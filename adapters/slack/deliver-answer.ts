import type { RespondArguments } from '@slack/bolt';
import type { Logger } from '../../src/core/ports/logger.js';
import type { Reply } from '../../src/core/reply.js';
import { renderEphemeralPages, type RenderOptions } from './render-blocks.js';
import { slackErrorCode } from './slack-error.js';
import type { SlackPoster } from './slack-poster.js';
import { escapeText } from './slack-text.js';

/** Where the answer to one command or click goes. */
export interface AnswerTarget {
  readonly channel: string;
  /** The verified user who asked or clicked: ephemeral answers go to them. */
  readonly user: string;
  /** The thread of the card a button sat on; commands answer in the channel. */
  readonly threadTs?: string;
  /** The event's response_url: still works where the bot cannot post (not in the channel). */
  readonly respond?: (message: RespondArguments) => Promise<unknown>;
}

export interface AnswerDeps {
  readonly poster: SlackPoster;
  readonly log: Logger;
  readonly render?: RenderOptions;
}

async function postAnswer(deps: AnswerDeps, target: AnswerTarget, reply: Reply): Promise<void> {
  if (reply.ephemeral === true) {
    await deps.poster.postEphemeral(target.channel, target.user, reply);
    return;
  }
  await deps.poster.post(target.channel, target.threadTs, reply);
}

/** The short note that reaches the user when the answer itself could not be posted. */
function failureNote(reply: Reply, code: string): string {
  return `I could not post the answer here (Slack said \`${escapeText(code)}\`). It was: *${escapeText(reply.title).slice(0, 2500)}*`;
}

const attempt = (send: () => Promise<unknown>): Promise<boolean> =>
  send().then(
    () => true,
    () => false,
  );

/**
 * Posts the answer to a command or click. A Slack error is logged and the user still hears
 * about it: the ephemeral answer through the response_url (which works even in a channel the
 * bot is not in), else a short ephemeral note, else that note through the response_url.
 */
export async function deliverAnswer(
  deps: AnswerDeps,
  target: AnswerTarget,
  reply: Reply,
): Promise<void> {
  try {
    await postAnswer(deps, target, reply);
    return;
  } catch (error) {
    const code = slackErrorCode(error);
    deps.log.error(
      { err: error, code, channel: target.channel, title: reply.title },
      'could not post the answer to Slack',
    );
    const respond = target.respond;
    if (reply.ephemeral === true && respond !== undefined) {
      const pages = renderEphemeralPages(reply, deps.render);
      if (
        await attempt(async () => {
          for (const page of pages)
            await respond({
              response_type: 'ephemeral',
              text: page.text,
              blocks: [...page.blocks],
            });
        })
      )
        return;
    }
    const note = failureNote(reply, code);
    if (await attempt(() => deps.poster.postNote(target.channel, target.user, note))) return;
    if (
      respond !== undefined &&
      (await attempt(() => respond({ response_type: 'ephemeral', text: note })))
    )
      return;
    deps.log.error(
      { code, channel: target.channel },
      'could not tell the user that the answer failed either',
    );
  }
}
