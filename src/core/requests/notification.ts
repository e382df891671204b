import type { IncidentNotice } from '../ports/notifier.js';
import type { Reply } from '../reply.js';

/**
 * What travels from a worker to the bot process. Cards carry only the request id: the bot
 * re-renders from the store, so an update delivered late never shows an older state.
 */
export type Notification =
  | { readonly kind: 'card'; readonly requestId: string }
  | { readonly kind: 'thread'; readonly requestId: string; readonly reply: Reply }
  | {
      /** A watcher notice of one incident, threaded under the incident's first post. */
      readonly kind: 'incident';
      readonly environment: string;
      readonly channel: string;
      readonly notice: IncidentNotice;
    }
  | {
      readonly kind: 'channel';
      readonly environment: string;
      readonly channel: string;
      readonly reply: Reply;
    };
