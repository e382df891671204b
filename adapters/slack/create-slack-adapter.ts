import { App, type BlockAction, type ButtonAction, type Receiver, type webApi } from '@slack/bolt';
import type { SlackOptions } from '../../src/config/env-options.js';
import type { ChatEvent } from '../../src/core/chat-event.js';
import type { AdapterHost, ChatAdapter } from '../../src/core/ports/chat-adapter.js';
import { DependencyError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/ports/logger.js';
import {
  ackFirstHttpReceiver,
  ackFirstSocketReceiver,
  type AckFirstHttp,
  type AckFirstSocket,
} from './ack-first-receivers.js';
import { ACTION_PATTERN } from './action-ids.js';
import { boltLogger } from './bolt-logger.js';
import { deliverAnswer, type AnswerTarget } from './deliver-answer.js';
import { drain } from './drain.js';
import { httpEndpoint } from './http-endpoint.js';
import { createSeenSet } from './seen-set.js';
import { slackErrorCode } from './slack-error.js';
import { actionEvent, commandEvent } from './slack-events.js';
import { createSlackPoster } from './slack-poster.js';

export interface SlackAdapterOptions {
  readonly slack: SlackOptions;
  /** The slash command without `/`, as in the config (`tas`). */
  readonly command: string;
  /**
   * Retries of the bot's Web API calls (posting answers). 429s are waited out and count as one
   * try each. Default: 3 retries, 1 s doubling to at most 10 s.
   */
  readonly retryConfig?: webApi.RetryOptions;
  /** Retries of `apps.connections.open` when Socket Mode (re)connects. Default: about 25 minutes. */
  readonly connectRetryConfig?: webApi.RetryOptions;
  readonly log?: Logger;
  /** Socket Mode keepalive, for tests; the SDK's defaults otherwise. */
  readonly socket?: { readonly clientPingTimeout?: number; readonly serverPingTimeout?: number };
  readonly now?: () => number;
  /** How long stop() lets answers in flight finish (default 10 s); then it logs them and returns. */
  readonly drainMs?: number;
}

const DEFAULT_RETRY: webApi.RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 10_000,
  randomize: true,
};
// SocketModeClient sets {retries: 100, factor: 1.3} when given nothing (PROTOCOLS.md §1.8); ours
// are explicit, and kept apart from the answer-posting client's.
const DEFAULT_CONNECT_RETRY: webApi.RetryOptions = {
  retries: 30,
  factor: 1.5,
  minTimeout: 1000,
  maxTimeout: 60_000,
  randomize: true,
};
/** A hung Web API call must end some time: answers are posted in the background, never before an ack. */
const WEB_API_TIMEOUT_MS = 30_000;
/** What stop() waits for answers still being worked out (a command stuck on a silent Docker). */
const DRAIN_MS = 10_000;

/** Two clicks of one person on one button within this are one click. */
const DOUBLE_CLICK_MS = 5_000;

/**
 * The Slack adapter: bolt in Socket Mode (app token) or HTTP mode (signing secret, mounted on
 * the bot's HTTP server as `http`). Every command and click is acknowledged first; then the
 * core answers and the answer is posted. Redeliveries and double clicks dispatch once.
 */
export function createSlackAdapter(host: AdapterHost, options: SlackAdapterOptions): ChatAdapter {
  const log = (options.log ?? host.log).child({ component: 'slack', mode: options.slack.mode });
  const logger = boltLogger(log);
  const now = options.now ?? Date.now;
  const apiUrl = options.slack.apiUrl === undefined ? {} : { slackApiUrl: options.slack.apiUrl };
  const clientOptions: webApi.WebClientOptions = {
    ...apiUrl,
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
    rejectRateLimitedCalls: false,
    timeout: WEB_API_TIMEOUT_MS,
  };

  let receiver: Receiver;
  let socket: AckFirstSocket | undefined;
  let http: AckFirstHttp | undefined;
  if (options.slack.mode === 'socket') {
    const appToken = options.slack.appToken;
    if (appToken === undefined) throw new Error('Slack Socket Mode needs SLACK_APP_TOKEN (xapp-…)');
    socket = ackFirstSocketReceiver(
      {
        appToken,
        logger,
        autoReconnectEnabled: true,
        clientOptions: {
          ...apiUrl,
          retryConfig: options.connectRetryConfig ?? DEFAULT_CONNECT_RETRY,
          timeout: WEB_API_TIMEOUT_MS,
        },
        ...(options.socket?.clientPingTimeout !== undefined && {
          clientPingTimeout: options.socket.clientPingTimeout,
        }),
        ...(options.socket?.serverPingTimeout !== undefined && {
          serverPingTimeout: options.socket.serverPingTimeout,
        }),
      },
      log,
    );
    receiver = socket.receiver;
  } else {
    const signingSecret = options.slack.signingSecret;
    if (signingSecret === undefined) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET');
    http = ackFirstHttpReceiver({ signingSecret, logger, now }, log);
    receiver = http.receiver;
  }

  const app = new App({
    token: options.slack.botToken,
    receiver,
    logger,
    clientOptions,
    convoStore: false,
    // auth.test runs in start(), not in the constructor, so a bad token fails start() plainly.
    deferInitialization: true,
  });
  const poster = createSlackPoster(app.client, log, { command: options.command });
  const deliveries = createSeenSet({ max: 10_000, ttlMs: 60 * 60_000, now });
  const clicks = createSeenSet({ max: 10_000, ttlMs: DOUBLE_CLICK_MS, now });
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let socketConnected = false;
  socket?.client.on('connected', () => (socketConnected = true));
  socket?.client.on('disconnected', () => (socketConnected = false));
  socket?.client.on('reconnecting', () => (socketConnected = false));

  /** Dispatches and posts after the ack; tracked so stop() can let it finish. */
  function answerLater(event: ChatEvent, target: AnswerTarget): void {
    const work = (async () => {
      log.debug({ eventId: event.id, userId: event.userId }, 'dispatching a Slack event');
      const reply = await host.dispatch(event);
      await deliverAnswer(
        { poster, host, log, render: { command: options.command } },
        target,
        reply,
      );
    })().catch((error: unknown) =>
      log.error({ err: error, eventId: event.id }, 'answering a Slack event failed'),
    );
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  app.command(`/${options.command}`, async ({ command, ack, respond, context }) => {
    // Nothing before the ack: no Docker, no probes, no Redis (the 3-second deadline, §1.4).
    await ack();
    const event = commandEvent(command, new Date(now()));
    if (!deliveries.firstTime(event.id)) {
      log.info(
        { eventId: event.id, retryNum: context.retryNum },
        'dropped a redelivered slash command',
      );
      return;
    }
    answerLater(event, { channel: command.channel_id, user: command.user_id, respond });
  });

  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION_PATTERN },
    async ({ body, action, ack, respond, context }) => {
      await ack();
      const event = actionEvent(body, action, new Date(now()));
      if (event?.action === undefined) {
        log.warn({ actionId: action.action_id }, 'ignored a button that is not ours');
        return;
      }
      const clickKey = `${event.userId}:${event.action.verb}:${event.action.requestId}`;
      if (!deliveries.firstTime(event.id) || !clicks.firstTime(clickKey)) {
        log.info(
          { eventId: event.id, retryNum: context.retryNum },
          'dropped a repeated click or redelivery',
        );
        return;
      }
      answerLater(event, {
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

  const chatError = (what: string, error: unknown) =>
    new DependencyError('chat', `Slack refused ${what}: ${slackErrorCode(error)}`, {
      cause: error,
    });

  return {
    platform: 'slack',
    ...(http !== undefined && {
      http: httpEndpoint(http, log, () => running, now),
    }),
    async start() {
      try {
        await app.init();
      } catch (error) {
        throw new Error(
          `Slack refused the bot token at auth.test (${slackErrorCode(error)}): check SLACK_BOT_TOKEN and SLACK_API_URL`,
          { cause: error },
        );
      }
      if (socket !== undefined) await socket.client.start();
      running = true;
      log.info({}, 'Slack adapter started');
    },
    async stop() {
      const wasRunning = running;
      running = false;
      if (socket !== undefined && wasRunning) await socket.client.disconnect();
      await drain([...inFlight], options.drainMs ?? DRAIN_MS, log);
    },
    connected: () => running && (socket === undefined || socketConnected),
    async post(target, reply) {
      const posted = await poster
        .post(target.channelId, target.threadId, reply)
        .catch((error: unknown) => {
          throw chatError('a message', error);
        });
      // A card posted as a notification (before the command's answer recorded one) is the card from now on.
      if (reply.card !== undefined)
        await host.cardPosted(reply.card.requestId, {
          cardRef: posted.ts,
          threadId: posted.threadTs,
        });
      return { ref: posted.ts, threadId: posted.threadTs };
    },
    async update(target, reply) {
      try {
        await poster.update(target.channelId, target.ref, target.threadId, reply);
      } catch (error) {
        throw chatError('a message update', error);
      }
    },
  };
}
