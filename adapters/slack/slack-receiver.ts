import type { Receiver } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/logger';
import type { Logger } from '../../src/core/ports/logger.js';
import {
  ackFirstHttpReceiver,
  ackFirstSocketReceiver,
  type AckFirstHttp,
  type AckFirstSocket,
} from './ack-first-receivers.js';
import {
  DEFAULT_CONNECT_RETRY,
  WEB_API_TIMEOUT_MS,
  type SlackAdapterOptions,
} from './slack-adapter-options.js';
import type { AckGate } from './ack-gate.js';
import type { SlackIntake } from './slack-intake.js';

/** bolt's receiver, with the transport behind it: a Socket Mode client or the HTTP handler. */
export type SlackReceiver =
  | { readonly receiver: Receiver; readonly socket: AckFirstSocket; readonly http?: undefined }
  | { readonly receiver: Receiver; readonly http: AckFirstHttp; readonly socket?: undefined };

/** Socket Mode with the app token, or HTTP mode with the signing secret, as configured. */
export function createSlackReceiver(
  options: SlackAdapterOptions,
  logs: { readonly log: Logger; readonly logger: BoltLogger },
  now: () => number,
  gate: AckGate,
  intake?: SlackIntake,
): SlackReceiver {
  const { log, logger } = logs;
  const apiUrl = options.slack.apiUrl === undefined ? {} : { slackApiUrl: options.slack.apiUrl };
  if (options.slack.mode !== 'socket') {
    const signingSecret = options.slack.signingSecret;
    if (signingSecret === undefined) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET');
    const http = ackFirstHttpReceiver(
      { signingSecret, logger, now, gate, ...(intake && { intake }) },
      log,
    );
    return { receiver: http.receiver, http };
  }
  const appToken = options.slack.appToken;
  if (appToken === undefined) throw new Error('Slack Socket Mode needs SLACK_APP_TOKEN (xapp-…)');
  const keepalive = options.socket ?? {};
  const socket = ackFirstSocketReceiver(
    {
      appToken,
      logger,
      autoReconnectEnabled: true,
      clientOptions: {
        ...apiUrl,
        retryConfig: options.connectRetryConfig ?? DEFAULT_CONNECT_RETRY,
        timeout: WEB_API_TIMEOUT_MS,
      },
      ...(keepalive.clientPingTimeout !== undefined && {
        clientPingTimeout: keepalive.clientPingTimeout,
      }),
      ...(keepalive.serverPingTimeout !== undefined && {
        serverPingTimeout: keepalive.serverPingTimeout,
      }),
    },
    log,
    intake,
    gate,
  );
  return { receiver: socket.receiver, socket };
}
