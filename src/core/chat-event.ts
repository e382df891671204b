/**
 * What an adapter hands the core: one inbound user action, already verified by the platform
 * (signature, gateway session). The core trusts `userId` only because adapters build a
 * ChatEvent solely from verified platform events.
 */
export type Platform = 'slack' | 'discord' | 'mattermost' | 'console';

export interface ChatEvent {
  /** Platform event id (envelope id, interaction id, …): logs and de-duplication key. */
  readonly id: string;
  readonly platform: Platform;
  /** Verified platform user id (Slack `U…`, Discord snowflake, Mattermost id, console person name). */
  readonly userId: string;
  /** Platform role ids the user holds (Discord member roles); mapped to config roles. */
  readonly platformRoles?: readonly string[];
  readonly channelId: string;
  readonly threadId?: string;
  /** The command text after the slash command, e.g. `logs backend --since 15m`. */
  readonly text: string;
  /**
   * Set when the event is a button click rather than typed text: the command it names runs with
   * the request id as its one argument, taken as data and never parsed from text.
   */
  readonly action?: ChatAction;
  readonly receivedAt: Date;
}

export interface ChatAction {
  readonly verb: 'approve' | 'reject';
  readonly requestId: string;
  /** The message the button sat on, so the card can be updated in place. */
  readonly messageRef?: string;
}
