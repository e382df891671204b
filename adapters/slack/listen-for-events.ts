import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { ChatEvent } from '../../src/core/chat-event.js';
import type { AdapterHost } from '../../src/core/ports/chat-adapter.js';
import type { Logger } from '../../src/core/ports/logger.js';
import type { RecentIds } from '../../src/lib/recent-ids.js';
import { ACTION_PATTERN } from './action-ids.js';
import { deliverAnswer, type AnswerTarget } from './deliver-answer.js';
import { actionEvent, commandEvent } from './slack-events.js';
import type { SlackPoster } from './slack-poster.js';

export interface ListenerDeps {
  readonly host: AdapterHost;
  readonly poster: SlackPoster;
  readonly log: Logger;
  /** The slash command without `/`. */
  readonly command: string;
  readonly now: () => number;
  /** Event ids already dispatched: Slack redelivers (HTTP retries, Socket Mode `retry_attempt`). */
  readonly deliveries: RecentIds;
  /** `user:verb:request` of recent clicks: a double click is one click. */
  readonly clicks: RecentIds;
  /** Answers being worked out, so stop() can let them finish. */
  readonly inFlight: Set<Promise<void>>;
}

/** Dispatches and posts after the ack; tracked in `inFlight`. */
function answerLater(deps: ListenerDeps, event: ChatEvent, target: AnswerTarget): void {
  const { log } = deps;
  const work = (async () => {
    log.debug({ eventId: event.id, userId: event.userId }, 'dispatching a Slack event');
    const answer = await deps.host.dispatch(event);
    // An approval card is in the channel already: the core posted it to learn where it sits.
    if (answer.posted !== undefined) return;
    await deliverAnswer(
      { poster: deps.poster, log, render: { command: deps.command } },
      target,
      answer.reply,
    );
  })().catch((error: unknown) =>
    log.error({ err: error, eventId: event.id }, 'answering a Slack event failed'),
  );
  deps.inFlight.add(work);
  void work.finally(() => deps.inFlight.delete(work));
}

/**
 * The slash command, our buttons, and bolt's error hook. The receiver acknowledged each event
 * before bolt saw it (Slack wants the ack within 3 seconds; bolt's own receivers would queue it
 * behind the processing of every earlier event in a burst), so the `ack` bolt passes here does
 * nothing; it is called because bolt's listener contract expects it.
 */
export function listenForEvents(app: App, deps: ListenerDeps): void {
  const { log } = deps;
  app.command(`/${deps.command}`, async ({ command, ack, respond, context }) => {
    await ack();
    const event = commandEvent(command, new Date(deps.now()));
    if (!deps.deliveries.firstTime(event.id)) {
      log.info(
        { eventId: event.id, retryNum: context.retryNum },
        'dropped a redelivered slash command',
      );
      return;
    }
    answerLater(deps, event, { channel: command.channel_id, user: command.user_id, respond });
  });

  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION_PATTERN },
    async ({ body, action, ack, respond, context }) => {
      await ack();
      const event = actionEvent(body, action, new Date(deps.now()));
      if (event?.action === undefined) {
        log.warn({ actionId: action.action_id }, 'ignored a button that is not ours');
        return;
      }
      const clickKey = `${event.userId}:${event.action.verb}:${event.action.requestId}`;
      if (!deps.deliveries.firstTime(event.id) || !deps.clicks.firstTime(clickKey)) {
        log.info(
          { eventId: event.id, retryNum: context.retryNum },
          'dropped a repeated click or redelivery',
        );
        return;
      }
      answerLater(deps, event, {
        channel: event.channelId,
        user: event.userId,
        ...(event.threadId !== undefined && { threadTs: event.threadId }),
        respond,
      });
    },
  );

  app.error(async (error) => {
    log.error({ err: error, code: (error as { code?: unknown }).code }, 'bolt reported an error');
    return Promise.resolve();
  });
}
