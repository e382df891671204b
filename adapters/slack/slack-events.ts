import type { BlockAction, ButtonAction, SlashCommand } from '@slack/bolt';
import type { ChatEvent } from '../../src/core/chat-event.js';
import { parseActionValue } from './action-ids.js';

/** The event id of a slash command: its trigger_id is unique per invocation. */
export const commandEventId = (triggerId: string): string => `slack-cmd-${triggerId}`;

/** The event id of a click: the action's timestamp and who clicked. */
export const actionEventId = (actionTs: string, userId: string): string =>
  `slack-act-${actionTs}-${userId}`;

/** A verified slash command → ChatEvent; the user id is the one Slack signed or sent over the socket. */
export function commandEvent(command: SlashCommand, receivedAt: Date): ChatEvent {
  return {
    id: commandEventId(command.trigger_id),
    platform: 'slack',
    userId: command.user_id,
    channelId: command.channel_id,
    text: command.text.trim(),
    receivedAt,
  };
}

/** A verified button click → ChatEvent, or undefined for a button that is not ours. */
export function actionEvent(
  body: BlockAction,
  action: ButtonAction,
  receivedAt: Date,
): ChatEvent | undefined {
  const parsed = parseActionValue(action.value);
  const channelId = body.channel?.id ?? (body.container.channel_id as string | undefined);
  if (parsed === undefined || typeof channelId !== 'string') return undefined;
  const messageTs = body.message?.ts ?? (body.container.message_ts as string | undefined);
  const threadTs = (body.message?.thread_ts as string | undefined) ?? messageTs;
  return {
    id: actionEventId(action.action_ts, body.user.id),
    platform: 'slack',
    userId: body.user.id,
    channelId,
    ...(threadTs !== undefined && { threadId: threadTs }),
    text: '',
    action: { ...parsed, ...(messageTs !== undefined && { messageRef: messageTs }) },
    receivedAt,
  };
}
