import type { ChatAction, ChatEvent } from '../../src/core/chat-event.js';
import type { ActionRequest } from './action-request.js';
import type { CommandRequest } from './command-request.js';
import type { MattermostPost } from './mattermost-api.js';

/**
 * A verified slash command → ChatEvent. The user id is the one the Mattermost server sent with
 * the command token; the trigger_id is unique per invocation, and a redelivery carries it again.
 */
export function commandEvent(request: CommandRequest, receivedAt: Date): ChatEvent {
  const { triggerId, userId, channelId, text } = request;
  return {
    platform: 'mattermost',
    id: `mattermost-cmd-${triggerId}`,
    receivedAt,
    userId,
    channelId,
    text: text.trim(),
  };
}

/**
 * A verified click → ChatEvent: the user is the clicking session's, as the server sent it; the
 * card's thread is the post's own (or the thread it sits in).
 */
export function actionEvent(
  click: ActionRequest,
  action: Pick<ChatAction, 'verb' | 'requestId'>,
  post: MattermostPost,
  receivedAt: Date,
): ChatEvent {
  return {
    id: `mattermost-act-${click.triggerId}`,
    platform: 'mattermost',
    userId: click.userId,
    channelId: click.channelId,
    threadId: post.root_id || post.id,
    text: '',
    action: { ...action, messageRef: post.id },
    receivedAt,
  };
}
