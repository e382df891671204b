import type { IncidentNotice, Notifier } from '../../../src/core/ports/notifier.js';
import type { Reply } from '../../../src/core/reply.js';
import type { OperationRequest } from '../../../src/core/requests/operation-request.js';

export type Notice =
  | { readonly to: 'card'; readonly request: OperationRequest }
  | { readonly to: 'thread'; readonly requestId: string; readonly reply: Reply }
  | {
      readonly to: 'channel';
      readonly environment: string;
      readonly channel: string;
      readonly reply: Reply;
    }
  | {
      readonly to: 'incident';
      readonly environment: string;
      readonly channel: string;
      readonly notice: IncidentNotice;
    };

export interface MemoryNotifier extends Notifier {
  /** Everything posted, in order: what the chat would show. */
  readonly notices: Notice[];
  /** The newest state of each request's card. */
  lastCard(requestId: string): OperationRequest | undefined;
  /** Titles of the posts in a request's thread, in order. */
  threadTitles(requestId: string): string[];
}

/** Records what operations would post to chat; requests are copied as the queue would send them. */
export function createMemoryNotifier(): MemoryNotifier {
  const notices: Notice[] = [];
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  const record = (notice: Notice) => {
    notices.push(notice);
    return Promise.resolve();
  };
  return {
    notices,
    card: (request) => record({ to: 'card', request: copy(request) }),
    thread: (request, reply) => record({ to: 'thread', requestId: request.id, reply }),
    channel: (environment, channel, reply) =>
      record({ to: 'channel', environment, channel, reply }),
    incident: (environment, channel, notice) =>
      record({ to: 'incident', environment, channel, notice }),
    lastCard(requestId) {
      const cards = notices.filter(
        (n): n is Extract<Notice, { to: 'card' }> => n.to === 'card' && n.request.id === requestId,
      );
      return cards.at(-1)?.request;
    },
    threadTitles(requestId) {
      return notices
        .filter(
          (n): n is Extract<Notice, { to: 'thread' }> =>
            n.to === 'thread' && n.requestId === requestId,
        )
        .map((n) => n.reply.title);
    },
  };
}
