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
import { createAckGate, type AckGate } from './ack-gate.js';
import type { IntakeContext, Recording, SlackIntake, TakenMark } from './slack-intake.js';
import { verifiedBody } from './verified-body.js';

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

/**
 * bolt processes the event; the ack has gone out already. `unhandled` runs when no listener of
 * ours took the delivery (another app's slash command, an event we do not answer): its intake
 * entry must be finished here, or every process would take it over again every few seconds.
 */
export function processAfterAck(
  app: App | undefined,
  event: ReceiverEvent,
  log: Logger,
  unhandled?: () => void,
): void {
  if (app === undefined) {
    log.warn({}, 'a Slack event arrived before the app was initialised; it was acknowledged only');
    return;
  }
  const taken: TakenMark = { taken: false };
  app
    .processEvent({ ...event, customProperties: { ...event.customProperties, intakeMark: taken } })
    .then(() => {
      if (!taken.taken) unhandled?.();
    })
    .catch((error: unknown) => log.error({ err: error }, 'bolt failed to process a Slack event'));
}

/** Finishes the entry a recording made, once the take says there is one. */
function finishRecorded(intake: SlackIntake | undefined, recording: Recording | undefined) {
  return () =>
    void recording?.outcome.then((outcome) => {
      if (outcome.kind === 'recorded') intake?.finish(outcome.entry);
    });
}

export interface AckFirstSocket extends ReceiverBase {
  readonly client: SocketModeClient;
}

/** The bolt context that carries the intake's take to the listeners (empty without one). */
const intakeContext = (recording: Recording | undefined): IntakeContext =>
  recording === undefined ? {} : { intakeTake: recording.outcome };

/**
 * Socket Mode: the envelope is acknowledged on arrival (after it is recorded in the intake, when
 * there is one), then bolt processes its payload.
 */
export function ackFirstSocketReceiver(
  options: SocketModeOptions,
  log: Logger,
  intake?: SlackIntake,
  gate: AckGate = createAckGate(),
): AckFirstSocket {
  const client = new SocketModeClient(options);
  let app: App | undefined;
  const onEnvelope = async (args: {
    ack: (response?: Record<string, unknown>) => Promise<void>;
    body: ReceiverEvent['body'];
    retry_num?: number;
    retry_reason?: string;
  }) => {
    gate.arrived();
    const recording = intake?.record(args.body);
    try {
      await recording?.settled;
      args
        .ack()
        .catch((error: unknown) =>
          log.error({ err: error }, 'acknowledging a Slack envelope failed'),
        );
    } finally {
      gate.acked();
    }
    const event: ReceiverEvent = {
      body: args.body,
      ack: acked,
      customProperties: { ...intakeContext(recording) },
      ...(args.retry_num !== undefined && { retryNum: args.retry_num }),
      ...(args.retry_reason !== undefined && { retryReason: args.retry_reason }),
    };
    gate.after(() => processAfterAck(app, event, log, finishRecorded(intake, recording)));
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

export { SLACK_BODY_LIMIT_BYTES } from './verified-body.js';

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
  /** Holds the work after each ack until the acks in flight are out (a gate of its own without). */
  readonly gate?: AckGate;
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
  const gate = options.gate ?? createAckGate();
  return {
    receiver: {
      init(boltApp) {
        app = boltApp;
      },
      start: () => Promise.resolve(),
      stop: () => Promise.resolve(),
    },
    async handle(req, res) {
      gate.arrived();
      let event: ReceiverEvent;
      let recording: Recording | undefined;
      try {
        const body = await verifiedBody(options, req, res, log);
        if (body === undefined || answeredCheck(body, res)) return;
        recording = options.intake?.record(body);
        await recording?.settled;
        // The ack: an empty 200 with its length, so it needs no chunked terminator.
        res.writeHead(200, { 'content-length': '0' }).end();
        const retryNum = httpFunctions.extractRetryNumFromHTTPRequest(req);
        const retryReason = httpFunctions.extractRetryReasonFromHTTPRequest(req);
        event = {
          body,
          ack: acked,
          customProperties: { ...intakeContext(recording) },
          ...(retryNum !== undefined && { retryNum }),
          ...(retryReason !== undefined && { retryReason }),
        };
      } finally {
        gate.acked();
      }
      const unhandled = finishRecorded(options.intake, recording);
      gate.after(() => processAfterAck(app, event, log, unhandled));
    },
  };
}
