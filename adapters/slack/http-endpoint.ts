import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AckFirstHttp } from './ack-first-receivers.js';
import type { Logger } from '../../src/core/ports/logger.js';

/** Slack's replay window: five minutes either way. */
const MAX_SKEW_SEC = 5 * 60;

function reject(req: IncomingMessage, res: ServerResponse, status: number): void {
  req.resume();
  res.writeHead(status);
  res.end();
}

/**
 * `POST /slack/events` for the bot's shared HTTP server: the receiver verifies the v0 signature
 * over the raw bytes with bolt's functions and rejects stale timestamps with 401; bolt lets
 * timestamps from the future pass, so they are refused here first, the same way (a signed
 * request from more than five minutes ahead is a replay prepared in advance).
 */
export function httpEndpoint(
  receiver: AckFirstHttp,
  log: Logger,
  accepting: () => boolean,
  now: () => number = Date.now,
) {
  return {
    path: '/slack/events',
    handle(req: IncomingMessage, res: ServerResponse): void {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'POST' || path !== '/slack/events') {
        reject(req, res, 404);
        return;
      }
      if (!accepting()) {
        reject(req, res, 503);
        return;
      }
      const header = req.headers['x-slack-request-timestamp'];
      if (typeof header === 'string' && Number(header) > Math.floor(now() / 1000) + MAX_SKEW_SEC) {
        log.warn(
          { timestamp: header },
          'Slack request refused: its timestamp is more than five minutes in the future',
        );
        reject(req, res, 401);
        return;
      }
      receiver.handle(req, res).catch((error: unknown) => {
        log.error({ err: error }, 'Slack request handling failed');
        if (!res.headersSent) reject(req, res, 500);
      });
    },
  };
}
