import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HTTPModuleFunctions as httpFunctions,
  type App,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/logger';
import { SocketModeClient, type SocketModeOptions } from '@slack/socket-mode';
import type { Logger } from '../../src/core/ports/logger.js';
import type { IntakeContext, SlackIntake } from './slack-intake.js';

/*
 * Receivers that acknowledge before bolt sees the event. Every command and click of ours is
 * acknowledged empty, so nothing is lost by answering Slack first: bolt's own receivers ack
 * only from inside the listener, after bolt's middleware, which in a burst puts every earlier
 * event's processing in front of each ack. Here the ack is the first thing the event costs, and
 * bolt's processing is handed `ack` that does nothing.
 */

const acked = (): Promise<void> => Promise.resolve();

interface ReceiverBase {
  readonly receiver: Receiver;
}

/** bolt processes the event; the ack has gone out already. */
export function processAfterAck(app: App | undefined, event: ReceiverEvent, log: Logger): void {
  if (app === undefined) {
    log.warn({}, 'a Slack event arrived before the app was initialised; it was acknowledged only');
    return;
  }
  app
    .processEvent(event)
    .catch((error: unknown) => log.error({ err: error }, 'bolt failed to process a Slack event'));
}

export interface AckFirstSocket extends ReceiverBase {
  readonly client: SocketModeClient;
}

/** The bolt context that carries an intake entry to the listeners (empty without one). */
const intakeContext = (entry: string | undefined): IntakeContext =>
  entry === undefined ? {} : { intakeEntry: entry };

/**
 * Socket Mode: the envelope is acknowledged on arrival (after it is recorded in the intake, when
 * there is one), then bolt processes its payload.
 */
export function ackFirstSocketReceiver(
  options: SocketModeOptions,
  log: Logger,
  intake?: SlackIntake,
): AckFirstSocket {
  const client = new SocketModeClient(options);
  let app: App | undefined;
  const onEnvelope = async (args: {
    ack: (response?: Record<string, unknown>) => Promise<void>;
    body: ReceiverEvent['body'];
    retry_num?: number;
    retry_reason?: string;
  }) => {
    const entry = await intake?.record(args.body);
    args
      .ack()
      .catch((error: unknown) =>
        log.error({ err: error }, 'acknowledging a Slack envelope failed'),
      );
    processAfterAck(
      app,
      {
        body: args.body,
        ack: acked,
        customProperties: { ...intakeContext(entry) },
        ...(args.retry_num !== undefined && { retryNum: args.retry_num }),
        ...(args.retry_reason !== undefined && { retryReason: args.retry_reason }),
      },
      log,
    );
  };
  client.on('slack_event', (args: Parameters<typeof onEnvelope>[0]) => void onEnvelope(args));
  return {
    client,
    receiver: {
      init(boltApp) {
        app = boltApp;
      },
      start: () => client.start(),
      stop: () => client.disconnect(),
    },
  };
}

/**
 * The most a `/slack/events` body may hold: 1 MiB. What Slack sends is small (a slash command
 * is under 1 KiB of form fields; an interactive payload with a large view state is tens of
 * KiB), so this is generous for Slack and small for memory. A Content-Length above it is
 * refused before a byte of the body is read; a chunked body stops being read at the cap. 413.
 */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

export interface AckFirstHttp extends ReceiverBase {
  /** `POST /slack/events`: verify, answer 200, then hand the payload to bolt. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

interface HttpReceiverOptions {
  readonly signingSecret: string;
  readonly logger: BoltLogger;
  readonly now?: () => number;
  /** With Redis: each delivery is recorded there before its ack, so no process death loses it. */
  readonly intake?: SlackIntake;
}

/** Why a request that could not be read or verified is refused, and with which status. */
function refusalOf(error: unknown): { status: number; unread: boolean; why: string } {
  // Reading the body failed (too large, shorter than its Content-Length, aborted) or the
  // signature did not verify.
  if (!httpFunctions.isRawBodyError(error))
    return { status: 401, unread: false, why: 'Slack request refused: not verified' };
  if (error.type === 'entity.too.large' || error.statusCode === 413)
    return {
      status: 413,
      unread: true,
      why: `Slack request refused: body over ${SLACK_BODY_LIMIT_BYTES} bytes`,
    };
  return { status: 400, unread: true, why: 'Slack request refused: body unreadable' };
}

/**
 * The verified, parsed body, or undefined once the request has been answered with a refusal:
 * bolt's own verification (the v0 signature over the raw bytes, stale timestamps refused) and
 * body parsing.
 */
async function verifiedBody(
  options: HttpReceiverOptions,
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
): Promise<ReceiverEvent['body'] | undefined> {
  // bolt's reader enforces the cap only as bytes arrive; a declared length over it is
  // refused here at once, instead of waiting for a body the client may never send.
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > SLACK_BODY_LIMIT_BYTES) {
    log.warn({ declared }, `Slack request refused: body over ${SLACK_BODY_LIMIT_BYTES} bytes`);
    res.setHeader('Connection', 'close');
    httpFunctions.buildNoBodyResponse(res, 413);
    return undefined;
  }
  let buffered;
  try {
    buffered = await httpFunctions.parseAndVerifyHTTPRequest(
      {
        signingSecret: options.signingSecret,
        logger: options.logger,
        bodyLimit: SLACK_BODY_LIMIT_BYTES,
        ...(options.now !== undefined && { nowMilliseconds: options.now }),
      },
      req,
    );
  } catch (error) {
    const refusal = refusalOf(error);
    log.warn({ err: error, status: refusal.status }, refusal.why);
    // The rest of an unread body is not worth reading: the connection ends with the answer.
    if (refusal.unread) res.setHeader('Connection', 'close');
    httpFunctions.buildNoBodyResponse(res, refusal.status);
    return undefined;
  }
  try {
    return httpFunctions.parseHTTPRequestBody(buffered) as ReceiverEvent['body'];
  } catch (error) {
    log.warn({ err: error }, 'Slack request refused: malformed body');
    httpFunctions.buildNoBodyResponse(res, 400);
    return undefined;
  }
}

/** Slack's own checks of the endpoint, answered here; true when the body was one of them. */
function answeredCheck(body: ReceiverEvent['body'], res: ServerResponse): boolean {
  if (body.ssl_check === '1') {
    httpFunctions.buildSSLCheckResponse(res);
    return true;
  }
  if (body.type === 'url_verification') {
    httpFunctions.buildUrlVerificationResponse(res, body);
    return true;
  }
  return false;
}

/** HTTP mode: verification, then the empty 200 that is the acknowledgement, then bolt. */
export function ackFirstHttpReceiver(options: HttpReceiverOptions, log: Logger): AckFirstHttp {
  let app: App | undefined;
  return {
    receiver: {
      init(boltApp) {
        app = boltApp;
      },
      start: () => Promise.resolve(),
      stop: () => Promise.resolve(),
    },
    async handle(req, res) {
      const body = await verifiedBody(options, req, res, log);
      if (body === undefined || answeredCheck(body, res)) return;
      const entry = await options.intake?.record(body);
      httpFunctions.buildNoBodyResponse(res, 200);
      const retryNum = httpFunctions.extractRetryNumFromHTTPRequest(req);
      const retryReason = httpFunctions.extractRetryReasonFromHTTPRequest(req);
      processAfterAck(
        app,
        {
          body,
          ack: acked,
          customProperties: { ...intakeContext(entry) },
          ...(retryNum !== undefined && { retryNum }),
          ...(retryReason !== undefined && { retryReason }),
        },
        log,
      );
    },
  };
}
