import { appError, type Answer } from './app-error.js';
import { slackLinksToMarkdown } from './mentions.js';
import { newId, type StandInUser, type StoredEphemeral } from './mattermost-state.js';
import { storePost, type PostsContext } from './posts-api.js';

type Body = Record<string, unknown>;

export interface Invocation {
  readonly userId: string;
  readonly channelId: string;
  readonly rootId: string;
}

export interface IntegrationContext extends PostsContext {
  readonly users: readonly StandInUser[];
}

/** The body of a command's answer: JSON when its media type is `application/json`, else the text itself. */
export function parseCommandBody(contentType: string, body: string): Body | undefined {
  if ((contentType.split(';')[0] ?? '').trim().toLowerCase() !== 'application/json')
    return { text: body };
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Body)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Slack's link syntax turned into Markdown in the message and the attachments' texts, as the server does by default. */
function slackParsed(
  ctx: IntegrationContext,
  text: string,
  attachments: unknown,
): { text: string; attachments: unknown } {
  const usernameOf = (id: string) => ctx.users.find((u) => u.id === id)?.username;
  const parse = (v: unknown) => (typeof v === 'string' ? slackLinksToMarkdown(v, usernameOf) : v);
  const list = Array.isArray(attachments)
    ? (attachments as Body[]).map((a) => ({
        ...a,
        pretext: parse(a.pretext),
        text: parse(a.text),
        title: parse(a.title),
        ...(Array.isArray(a.fields) && {
          fields: (a.fields as Body[]).map((f) => ({ ...f, value: parse(f.value) })),
        }),
      }))
    : attachments;
  return { text: slackLinksToMarkdown(text, usernameOf), attachments: list };
}

export function ephemeral(
  ctx: IntegrationContext,
  to: Invocation,
  message: string,
  props: Body,
  via: StoredEphemeral['via'],
): void {
  ctx.state.ephemerals.push({
    id: newId(),
    user_id: to.userId,
    channel_id: to.channelId,
    root_id: to.rootId,
    message,
    props,
    via,
  });
}

function one(
  ctx: IntegrationContext,
  response: Body,
  at: Invocation,
  via: StoredEphemeral['via'],
): Answer | undefined {
  const raw = typeof response.text === 'string' ? response.text : '';
  const skip = response.skip_slack_parsing === true;
  const { text, attachments } = skip
    ? { text: raw, attachments: response.attachments }
    : slackParsed(ctx, raw, response.attachments);
  const props: Body = {
    ...(typeof response.props === 'object' && response.props !== null
      ? (response.props as Body)
      : {}),
    ...(Array.isArray(attachments) && { attachments }),
  };
  const channelId =
    typeof response.channel_id === 'string' && response.channel_id !== ''
      ? response.channel_id
      : at.channelId;
  if (response.response_type === 'in_channel') {
    // The post is the invoker's, not the bot's, and carries from_webhook.
    const stored = storePost(ctx, at.userId, {
      channel_id: channelId,
      root_id: at.rootId,
      message: text,
      props: { ...props, from_webhook: 'true' },
    });
    return 'status' in stored ? stored : undefined;
  }
  if (text !== '' || Array.isArray(attachments))
    ephemeral(ctx, { ...at, channelId }, text, props, via);
  return undefined;
}

/**
 * What the server does with a command's answer (at once or through its `response_url`):
 * `in_channel` → a post by the invoker in the invocation's channel and thread; `ephemeral` or
 * none → an ephemeral post to the invoker when there is text or attachments; each of
 * `extra_responses` likewise.
 */
export function applyCommandResponse(
  ctx: IntegrationContext,
  response: Body,
  at: Invocation,
  via: StoredEphemeral['via'],
): Answer | undefined {
  const failed = one(ctx, response, at, via);
  if (failed !== undefined) return failed;
  for (const extra of Array.isArray(response.extra_responses)
    ? (response.extra_responses as Body[])
    : []) {
    const refused = one(ctx, extra, at, via);
    if (refused !== undefined) return refused;
  }
  return undefined;
}

export const commandFailed = (trigger: string, status?: number): Answer =>
  status === undefined
    ? appError(
        500,
        'api.command.execute_command.failed.app_error',
        `Command with a trigger of '${trigger}' failed.`,
      )
    : appError(
        500,
        'api.command.execute_command.failed_resp.app_error',
        `Command with a trigger of '${trigger}' returned response ${status}.`,
      );
