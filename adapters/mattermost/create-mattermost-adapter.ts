import type { AdapterHost, ChatAdapter } from '../../src/core/ports/chat-adapter.js';
import type { ChatDelivery } from '../../src/core/ports/chat-delivery.js';
import { DependencyError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/ports/logger.js';
import type { MattermostOptions } from '../../src/config/read-mattermost-env.js';
import { drain } from '../../src/lib/drain.js';
import { createMemoryDeliveryLedger } from '../../src/lib/recent-ids.js';
import { actionKey, signAction } from './action-context.js';
import type { EndpointDeps } from './endpoint-deps.js';
import { ACTION_PATH, httpRoutes } from './http-routes.js';
import { createMattermostApi, type MattermostApi } from './mattermost-api.js';
import { createMattermostPoster, type MattermostPoster } from './mattermost-poster.js';

/** How long stop() lets answers in flight finish. */
const DRAIN_MS = 10_000;

/** What the adapter's lifecycle methods share. */
interface Running {
  readonly api: MattermostApi;
  readonly log: Logger;
  readonly inFlight: Set<Promise<void>>;
  readonly url: string;
  botUserId: string | undefined;
  running: boolean;
}

/** Reaches the server with the bot's token and learns the bot's user id (its own posts). */
async function start(state: Running): Promise<void> {
  try {
    const me = await state.api.me();
    state.botUserId = me.id;
    state.log.info({ botUserId: me.id, username: me.username }, 'Mattermost adapter started');
  } catch (error) {
    throw new Error(
      `Mattermost refused the bot token at GET /api/v4/users/me (${(error as Error).message}): check MATTERMOST_TOKEN and MATTERMOST_URL (${state.url})`,
      { cause: error },
    );
  }
  state.running = true;
}

async function stop(state: Running): Promise<void> {
  state.running = false;
  const pending = await drain([...state.inFlight], DRAIN_MS);
  if (pending > 0)
    state.log.warn({ pending, waitedMs: DRAIN_MS }, 'stopped with Mattermost answers in flight');
}

/** A REST refusal as the core's dependency error, thrown on. */
const refused =
  (what: string) =>
  (error: unknown): never => {
    throw new DependencyError('chat', `Mattermost refused ${what}: ${(error as Error).message}`, {
      cause: error,
    });
  };

/**
 * Posts and edits outside an answer: approval cards, progress and verdicts in a card's thread
 * (`root_id`), card updates in place, notices. A post opens its own thread: its id is the root.
 */
function mattermostDelivery(poster: MattermostPoster): ChatDelivery {
  const post: ChatDelivery['post'] = (target, reply) =>
    poster
      .post(target.channelId, target.threadId, reply)
      .then(({ id, rootId }) => ({ ref: id, threadId: rootId }), refused('a post'));
  const update: ChatDelivery['update'] = (target, reply) =>
    poster
      .update(target.channelId, target.ref, target.threadId, reply)
      .catch(refused('a post update'));
  return { platform: 'mattermost', post, update };
}

/**
 * The Mattermost adapter: a custom slash command and interactive-message buttons, both calling
 * the bot's shared HTTP server (`POST /mattermost/command`, `POST /mattermost/action`), and the
 * REST API v4 with a bot account's token for every post. Commands are acknowledged at once and
 * answered by posts; clicks are answered within the server's wait. Cards are legacy
 * message-attachment buttons (rendered by every Mattermost since 5.x; Mattermost Blocks sit
 * behind a feature flag on recent servers only); the minimum is Mattermost 5.20 (bot accounts
 * 5.10, `skip_slack_parsing` 5.20). It decides nothing: the core does.
 */
export function createMattermostAdapter(
  host: AdapterHost,
  options: { readonly mattermost: MattermostOptions; readonly command: string },
): ChatAdapter {
  const { mattermost, command } = options;
  const log = host.log.child({ component: 'mattermost' });
  const api = createMattermostApi(mattermost.url, mattermost.token, log);
  const key = actionKey(mattermost.token);
  const poster = createMattermostPoster(api, {
    command,
    actionUrl: `${mattermost.callbackUrl.replace(/\/+$/, '')}${ACTION_PATH}`,
    sign: (requestId, verb) => signAction(key, requestId, verb),
  });
  const state: Running = {
    api,
    log,
    inFlight: new Set(),
    url: mattermost.url,
    botUserId: undefined,
    running: false,
  };
  const deps: EndpointDeps = {
    host,
    api,
    poster,
    log,
    ledger: host.ledger ?? createMemoryDeliveryLedger({ max: 10_000, now: Date.now }),
    commandToken: mattermost.commandToken,
    actionKey: key,
    command,
    now: Date.now,
    botUserId: () => state.botUserId,
    inFlight: state.inFlight,
  };
  return {
    ...mattermostDelivery(poster),
    http: httpRoutes(deps, () => state.running),
    start: () => start(state),
    stop: () => stop(state),
    connected: () => state.running && state.botUserId !== undefined,
  };
}
