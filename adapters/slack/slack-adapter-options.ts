import type { webApi } from '@slack/bolt';
import type { SlackOptions } from '../../src/config/env-options.js';
import type { Logger } from '../../src/core/ports/logger.js';

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

export const DEFAULT_RETRY: webApi.RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 10_000,
  randomize: true,
};

/**
 * Given no retryConfig, SocketModeClient sets one of its own (100 retries at factor 1.3) on the
 * options object it was passed; ours is explicit (about 25 minutes), and kept apart from the
 * answer-posting client's.
 */
export const DEFAULT_CONNECT_RETRY: webApi.RetryOptions = {
  retries: 30,
  factor: 1.5,
  minTimeout: 1000,
  maxTimeout: 60_000,
  randomize: true,
};

/** A hung Web API call must end some time: answers are posted in the background, after the ack. */
export const WEB_API_TIMEOUT_MS = 30_000;

/** What stop() waits for answers still being worked out (a command stuck on a silent Docker). */
export const DRAIN_MS = 10_000;
