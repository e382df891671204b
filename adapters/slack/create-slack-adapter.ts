import { App } from '@slack/bolt';
import type { AdapterHost, ChatAdapter } from '../../src/core/ports/chat-adapter.js';
import type { ChatDelivery } from '../../src/core/ports/chat-delivery.js';
import { DependencyError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { drain } from '../../src/lib/drain.js';
import { createMemoryDeliveryLedger } from '../../src/lib/recent-ids.js';
import { processAfterAck } from './ack-first-receivers.js';
import { createAckGate, type AckGate } from './ack-gate.js';
import { boltLogger } from './bolt-logger.js';
import { httpEndpoint } from './http-endpoint.js';
import { listenForEvents } from './listen-for-events.js';
import {
  DEFAULT_RETRY,
  DRAIN_MS,
  WEB_API_TIMEOUT_MS,
  type SlackAdapterOptions,
} from './slack-adapter-options.js';
import { slackErrorCode } from './slack-error.js';
import { createSlackPoster, type SlackPoster } from './slack-poster.js';
import { createSlackIntake, type SlackIntake } from './slack-intake.js';
import { createSlackReceiver, type SlackReceiver } from './slack-receiver.js';

export type { SlackAdapterOptions } from './slack-adapter-options.js';

/** What the adapter's lifecycle methods share. */
interface Running {
  readonly app: App;
  readonly transport: SlackReceiver;
  readonly log: Logger;
  readonly inFlight: Set<Promise<void>>;
  readonly drainMs: number;
  readonly intake: SlackIntake | undefined;
  readonly gate: AckGate;
  running: boolean;
  socketConnected: boolean;
}

async function start(state: Running): Promise<void> {
  try {
    await state.app.init();
  } catch (error) {
    throw new Error(
      `Slack refused the bot token at auth.test (${slackErrorCode(error)}): check SLACK_BOT_TOKEN and SLACK_API_URL`,
      { cause: error },
    );
  }
  if (state.transport.socket !== undefined) await state.transport.socket.client.start();
  // Every process answers what a silent one acknowledged: bolt processes the recorded body.
  state.intake?.startReclaiming((body, context) =>
    processAfterAck(
      state.app,
      { body, ack: () => Promise.resolve(), customProperties: { ...context } },
      state.log,
      () => {
        if (context.intakeEntry !== undefined) state.intake?.finish(context.intakeEntry);
      },
    ),
  );
  state.running = true;
  state.log.info({}, 'Slack adapter started');
}

async function stop(state: Running): Promise<void> {
  const wasRunning = state.running;
  state.running = false;
  state.intake?.stopReclaiming();
  if (state.transport.socket !== undefined && wasRunning)
    await state.transport.socket.client.disconnect();
  // Answers held behind acks start now; bolt hands them to the listeners within this turn.
  state.gate.open();
  await new Promise((resolve) => setImmediate(resolve));
  const pending = await drain([...state.inFlight], state.drainMs);
  if (pending > 0)
    state.log.warn(
      { pending, waitedMs: state.drainMs },
      'stopped with Slack answers still in flight',
    );
}

const chatError = (what: string, error: unknown) =>
  new DependencyError('chat', `Slack refused ${what}: ${slackErrorCode(error)}`, { cause: error });

/**
 * Posts and edits outside an answer: approval cards (a slash command has nothing to edit into
 * a card, so `inAnswerTo` changes nothing here), progress, card updates, notices. A message
 * opens its own thread: its ts is the thread's.
 */
function slackDelivery(poster: SlackPoster): ChatDelivery {
  return {
    platform: 'slack',
    async post(target, reply) {
      const posted = await poster
        .post(target.channelId, target.threadId, reply)
        .catch((error: unknown) => {
          throw chatError('a message', error);
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

/**
 * The Slack adapter: bolt in Socket Mode (app token) or HTTP mode (signing secret, mounted on
 * the bot's HTTP server as `http`). Every command and click is acknowledged first; then the
 * core answers and the adapter posts the answer (an approval card the core has posted itself,
 * through this adapter's delivery). Redeliveries and double clicks dispatch once.
 */
export function createSlackAdapter(host: AdapterHost, options: SlackAdapterOptions): ChatAdapter {
  const log = (options.log ?? host.log).child({ component: 'slack', mode: options.slack.mode });
  const logger = boltLogger(log);
  const now = options.now ?? Date.now;
  const shared = host.intakeFor?.('slack');
  const intake = shared && createSlackIntake(shared, log.child({ component: 'slack-intake' }));
  const gate = createAckGate();
  const transport = createSlackReceiver(options, { log, logger }, now, gate, intake);
  const app = new App({
    token: options.slack.botToken,
    receiver: transport.receiver,
    logger,
    clientOptions: {
      ...(options.slack.apiUrl !== undefined && { slackApiUrl: options.slack.apiUrl }),
      retryConfig: options.retryConfig ?? DEFAULT_RETRY,
      rejectRateLimitedCalls: false,
      timeout: WEB_API_TIMEOUT_MS,
    },
    convoStore: false,
    // auth.test runs in start(), not in the constructor, so a bad token fails start() plainly.
    deferInitialization: true,
  });
  const poster = createSlackPoster(app.client, log, { command: options.command });
  const state: Running = {
    app,
    transport,
    log,
    inFlight: new Set(),
    drainMs: options.drainMs ?? DRAIN_MS,
    intake,
    gate,
    running: false,
    socketConnected: false,
  };
  listenForEvents(app, {
    host,
    poster,
    log,
    command: options.command,
    now,
    ledger: host.ledger ?? createMemoryDeliveryLedger({ max: 10_000, now }),
    seen: createMemoryDeliveryLedger({ max: 10_000, now }),
    inFlight: state.inFlight,
    ...(intake && { intake }),
  });
  const socket = transport.socket?.client;
  socket?.on('connected', () => (state.socketConnected = true));
  socket?.on('disconnected', () => (state.socketConnected = false));
  socket?.on('reconnecting', () => (state.socketConnected = false));
  return {
    ...slackDelivery(poster),
    ...(transport.http !== undefined && {
      http: httpEndpoint(transport.http, log, () => state.running, now),
    }),
    start: () => start(state),
    stop: () => stop(state),
    connected: () => state.running && (socket === undefined || state.socketConnected),
  };
}
