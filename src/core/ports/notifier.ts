import type { Reply } from '../reply.js';
import type { OperationRequest } from '../requests/operation-request.js';

/**
 * How operations talk back to chat, from whichever process runs them. Workers next to the
 * Docker host reach only Redis, so the production notifier is a queue the bot process drains;
 * the bot owns the chat connections and the card references.
 * Deliberately left out: direct messages and reactions.
 */
export interface Notifier {
  /** Re-renders the request's approval card in place (votes, expiry, result). */
  card(request: OperationRequest): Promise<void>;
  /** Posts into the request's thread: progress, verdicts, drift notices. */
  thread(request: OperationRequest, reply: Reply): Promise<void>;
  /** Posts to one of the environment's channels (`ops`, `support`): break-glass notices, escalations. */
  channel(environment: string, channel: string, reply: Reply): Promise<void>;
  /**
   * Posts one notice of an incident to an environment's channel: the opening one starts the
   * incident's thread, later ones reply in it and update the opening post. Notifiers without it
   * post every notice with `channel`.
   */
  incident?(environment: string, channel: string, notice: IncidentNotice): Promise<void>;
}

export interface IncidentNotice {
  readonly incidentId: string;
  /** The incident's first post: it opens the thread. */
  readonly opens: boolean;
  /** What to post: the opening post, or a reply in its thread. */
  readonly post: Reply;
  /** The opening post's new content (the summary line), replacing it in place. */
  readonly summary?: Reply;
}
