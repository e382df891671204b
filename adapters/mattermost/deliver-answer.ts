import type { Logger } from '../../src/core/ports/logger.js';
import type { Reply } from '../../src/core/reply.js';
import { MattermostApiError } from './mattermost-api.js';
import type { MattermostPoster } from './mattermost-poster.js';
import { renderPages } from './render-post.js';

/** Where the answer to one command or click goes. */
export interface AnswerTarget {
  readonly channel: string;
  /** The verified user who asked or clicked: ephemeral answers go to them. */
  readonly user: string;
  /** The thread the command was typed in, or the card's thread for a click. */
  readonly rootId?: string;
  /** The command's response_url: answers ephemerally where the bot may not. */
  readonly responseUrl?: string;
}

export interface AnswerDeps {
  readonly poster: MattermostPoster;
  readonly log: Logger;
  readonly command: string;
}

const RESPONSE_URL_TIMEOUT_MS = 10_000;

/**
 * Ephemeral text through the command's response_url (five uses within 30 minutes): a post only
 * the invoker sees, as the server's own ephemeral answer would be. `skip_slack_parsing` keeps
 * the server from turning `<!here>` into `@here` (our text holds none, but nothing is assumed).
 */
async function respond(url: string, pages: readonly string[]): Promise<void> {
  for (const text of pages) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text, skip_slack_parsing: true }),
      signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`response_url answered ${response.status}`);
  }
}

/**
 * Only the user sees it. `POST /api/v4/posts/ephemeral` needs `create_post_ephemeral`, which
 * Mattermost gives system admins only; a bot without it is answered 403, and the command's
 * response_url carries the same pages instead.
 */
async function ephemeral(deps: AnswerDeps, target: AnswerTarget, reply: Reply): Promise<void> {
  try {
    await deps.poster.postEphemeral(target.channel, target.user, reply, target.rootId);
  } catch (error) {
    if (target.responseUrl === undefined) throw error;
    deps.log.debug({ err: error }, 'ephemeral post refused; answering through the response_url');
    await respond(target.responseUrl, renderPages(reply, deps.command));
  }
}

function failureNote(reply: Reply, error: unknown): Reply {
  const said =
    error instanceof MattermostApiError
      ? `${error.status} ${error.errorId ?? ''}`.trim()
      : 'no answer';
  return {
    title: 'I could not post the answer here',
    blocks: [{ kind: 'text', text: `Mattermost said ${said}. It was: ${reply.title}` }],
    ephemeral: true,
  };
}

/**
 * Posts the answer to a command or click. A refusal is logged and the user still hears about
 * it: a channel answer that cannot be posted (the bot is not in the channel) becomes a short
 * ephemeral note.
 */
export async function deliverAnswer(deps: AnswerDeps, to: AnswerTarget, reply: Reply) {
  const send = () =>
    reply.ephemeral === true
      ? ephemeral(deps, to, reply)
      : deps.poster.post(to.channel, to.rootId, reply);
  const failed = await send().then(
    () => false as const,
    (error: unknown) => ({ error }),
  );
  if (failed === false) return;
  deps.log.error(
    { err: failed.error, channel: to.channel, title: reply.title },
    'could not post the answer to Mattermost',
  );
  if (reply.ephemeral === true) return;
  await ephemeral(deps, to, failureNote(reply, failed.error)).catch((error: unknown) =>
    deps.log.error(
      { err: error, channel: to.channel },
      'could not tell the user that the answer failed either',
    ),
  );
}
