import { randomBytes } from 'node:crypto';
import { appError, type Answer } from './app-error.js';
import {
  applyCommandResponse,
  commandFailed,
  ephemeral,
  parseCommandBody,
  type IntegrationContext,
  type Invocation,
} from './command-response.js';
import { slackLinksToMarkdown } from './mentions.js';
import {
  newId,
  type ActionDelivery,
  type CommandDelivery,
  type StoredPost,
} from './mattermost-state.js';
import { editPost } from './posts-api.js';

type Body = Record<string, unknown>;

export interface SlashCommandSetup {
  /** Stored lower-case; the command is `/` + trigger. */
  readonly trigger: string;
  /** The command's token: a 26-character id the server sends in the body and in `Authorization: Token …`. */
  readonly token: string;
  /** The bot's command URL (known once the bot listens). */
  readonly url: () => string;
}

export interface IntegrationsOptions extends IntegrationContext {
  readonly command: SlashCommandSetup;
  readonly team: { readonly id: string; readonly name: string };
  readonly origin: () => string;
}

/** What the clicking or invoking client got back from the server. */
export interface ServerResult {
  readonly status: number;
  readonly body: unknown;
}

/** Go's `url.QueryEscape`: everything but `A-Za-z0-9-_.~` escaped, space as `+`. */
function queryEscape(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** `url.Values.Encode()`: keys sorted, repeated keys kept in order. */
export function goFormEncode(pairs: [string, string][]): string {
  return [...pairs]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${queryEscape(k)}=${queryEscape(v)}`)
    .join('&');
}

/** A `trigger_id` as the server makes it: base64 of `clientTriggerId:userId:millis:` and a signature only the server can check. */
function triggerId(userId: string): string {
  const signature = randomBytes(64).toString('base64');
  return Buffer.from(`${newId()}:${userId}:${Date.now()}:${signature}`).toString('base64');
}

const answer = (r: ServerResult): ServerResult => r;
const headersOf = (h: Headers) => Object.fromEntries([...h.entries()]);

export function createIntegrations(options: IntegrationsOptions) {
  const hooks = new Map<string, Invocation & { uses: number }>();
  const channelOf = (id: string) => options.channels.find((c) => c.id === id);
  const userOf = (id: string) => options.users.find((u) => u.id === id);

  /** The pairs the server sends for `/trigger text`, with the mentions it found in `text`. */
  function commandFields(
    userId: string,
    text: string,
    channelId: string,
    rootId: string,
    hook: string,
  ) {
    const pairs: [string, string][] = [
      ['channel_id', channelId],
      ['channel_name', channelOf(channelId)?.name ?? ''],
      ['command', `/${options.command.trigger}`],
      ['response_url', `${options.origin()}/hooks/commands/${hook}`],
      ['root_id', rootId],
      ['team_domain', options.team.name],
      ['team_id', options.team.id],
      ['text', text],
      ['token', options.command.token],
      ['trigger_id', triggerId(userId)],
      ['user_id', userId],
      ['user_name', userOf(userId)?.username ?? ''],
    ];
    for (const m of text.matchAll(/@([a-z0-9._-]+)/gi)) {
      const user = options.users.find((u) => u.username === m[1]?.toLowerCase());
      if (user) pairs.push(['user_mentions', user.username], ['user_mentions_ids', user.id]);
    }
    for (const m of text.matchAll(/~([a-z0-9_-]+)/gi)) {
      const channel = options.channels.find((c) => c.name === m[1]?.toLowerCase());
      if (channel)
        pairs.push(['channel_mentions', channel.name], ['channel_mentions_ids', channel.id]);
    }
    return pairs;
  }

  /**
   * `/trigger text` typed by `userId` in `channelId`: the POST the server makes to the command
   * URL, form-encoded with sorted keys, `Authorization: Token <command token>`; then what the
   * server does with the answer (a non-200 or unreadable answer posts nothing and shows the
   * invoker an error).
   */
  async function slash(
    userId: string,
    text: string,
    channelId: string,
    extra: { rootId?: string; token?: string } = {},
  ): Promise<ServerResult & { fields: Record<string, string> }> {
    const hook = newId();
    const rootId = extra.rootId ?? '';
    hooks.set(hook, { userId, channelId, rootId, uses: 0 });
    const token = extra.token ?? options.command.token;
    const pairs = commandFields(userId, text, channelId, rootId, hook).map(
      ([k, v]): [string, string] => [k, k === 'token' ? token : v],
    );
    const fields = Object.fromEntries(pairs);
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      authorization: `Token ${token}`,
      'user-agent': 'Mattermost-Bot/1.1',
    };
    const result = await sendCommand(fields, headers, goFormEncode(pairs));
    return { ...result, fields };
  }

  /** Sends a recorded command again, byte for byte (a redelivery), and applies the answer. */
  function resendCommand(delivery: CommandDelivery): Promise<ServerResult> {
    return sendCommand(delivery.fields, delivery.headers, delivery.request);
  }

  async function sendCommand(
    fields: Record<string, string>,
    headers: Record<string, string>,
    request: string,
  ): Promise<ServerResult> {
    let status = 0;
    let contentType = '';
    let body = '';
    try {
      const response = await fetch(options.command.url(), {
        method: 'POST',
        headers,
        body: request,
      });
      status = response.status;
      contentType = response.headers.get('content-type') ?? '';
      body = await response.text();
    } catch {
      status = 0;
    }
    options.state.commands.push({ fields, headers, request, status, contentType, body });
    options.state.record({ kind: 'command', body: fields, status, response: body });
    const trigger = options.command.trigger;
    if (status !== 200) return commandFailed(trigger, status === 0 ? undefined : status);
    const parsed = parseCommandBody(contentType, body);
    if (parsed === undefined) return commandFailed(trigger);
    const at = {
      userId: fields.user_id ?? '',
      channelId: fields.channel_id ?? '',
      rootId: fields.root_id ?? '',
    };
    return (
      applyCommandResponse(options, parsed, at, 'command') ?? {
        status: 200,
        body: { trigger_id: fields.trigger_id },
      }
    );
  }

  /** `POST /hooks/commands/{id}`: five uses within 30 minutes, each applied as a command's answer. */
  function respond(hook: string, contentType: string, raw: string): Answer {
    const at = hooks.get(hook);
    const parsed = parseCommandBody(contentType, raw);
    const status = at === undefined ? 404 : at.uses >= 5 ? 400 : parsed === undefined ? 400 : 200;
    options.state.responses.push({ hook, status, body: parsed ?? { raw } });
    options.state.record({ kind: 'respond', detail: hook, body: parsed, status });
    if (at === undefined)
      return appError(404, 'app.command_webhook.get.missing', 'Unable to find the webhook.');
    if (at.uses >= 5)
      return appError(400, 'app.command_webhook.try_use.invalid', 'Invalid use of the webhook.');
    if (parsed === undefined)
      return appError(400, 'api.command.execute_command.failed.app_error', 'Invalid response.');
    at.uses += 1;
    const refused = applyCommandResponse(options, parsed, at, 'response_url');
    return refused ?? { status: 200, body: 'ok' };
  }

  return { slash, resendCommand, respond, click, replay };

  /**
   * A click on button `actionId` of post `postId` by `userId`, as the server handles
   * `POST /api/v4/posts/{id}/actions/{action_id}`: the action is looked up on the stored post
   * (with its `integration`), the server POSTs JSON to `integration.url` with its `context`,
   * then applies the answer (`update` edits the post, `ephemeral_text` goes to the clicker).
   */
  async function click(
    userId: string,
    postId: string,
    actionId: string,
    selectedOption = '',
  ): Promise<ServerResult> {
    // Older servers route only alphanumeric action ids; others never reach the integration.
    if (!/^[A-Za-z0-9]+$/.test(actionId))
      return answer({ status: 404, body: '404 page not found' });
    const post = options.state.posts.find((p) => p.id === postId);
    if (post === undefined)
      return appError(404, 'app.post.get.app_error', 'Unable to get the post.');
    const action = actionsOf(post).find((a) => a.id === actionId);
    const integration = action?.integration as { url?: unknown; context?: unknown } | undefined;
    if (action === undefined || typeof integration?.url !== 'string')
      return appError(404, 'api.post.do_action.action_id.app_error', 'Unable to find the action.');
    const user = userOf(userId);
    if (user === undefined)
      return appError(404, 'app.user.missing_account.const', 'Unable to find the user.');
    const channel = channelOf(post.channel_id);
    const context: Body =
      typeof integration.context === 'object' && integration.context !== null
        ? { ...(integration.context as Body) }
        : {};
    // A menu choice is added to the context, with the menu's data source; a button sends neither.
    const chosen = action.type === 'select' && selectedOption !== '';
    if (chosen) context.selected_option = selectedOption;
    const request: Body = {
      user_id: userId,
      user_name: user.username,
      channel_id: post.channel_id,
      channel_name: channel?.name ?? '',
      team_id: options.team.id,
      team_domain: options.team.name,
      post_id: post.id,
      trigger_id: triggerId(userId),
      type: typeof action.type === 'string' ? action.type : '',
      data_source: chosen && typeof action.data_source === 'string' ? action.data_source : '',
      ...(Object.keys(context).length > 0 && { context }),
    };
    return deliver(integration.url, request);
  }

  /** Sends a recorded click's request again, byte for byte (a redelivery), and applies the answer. */
  function replay(delivery: ActionDelivery): Promise<ServerResult> {
    return deliver(delivery.url, delivery.request);
  }

  async function deliver(url: string, request: Body): Promise<ServerResult> {
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'Mattermost-Bot/1.1',
    };
    let status = 0;
    let body = '';
    let received: Record<string, string> = {};
    try {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(request) });
      status = response.status;
      received = headersOf(response.headers);
      body = await response.text();
    } catch {
      status = 0;
    }
    options.state.actions.push({ url, request, headers: received, status, body });
    options.state.record({ kind: 'action', body: request, status, response: body });
    const failed = () =>
      appError(
        400,
        'api.post.do_action.action_integration.app_error',
        'Action integration error.',
        `status=${status}`,
      );
    if (status !== 200) return failed();
    let parsed: Body = {};
    if (body.length > 0) {
      try {
        parsed = JSON.parse(body) as Body;
      } catch {
        return failed();
      }
    }
    const post = options.state.posts.find((p) => p.id === request.post_id);
    if (post === undefined)
      return appError(404, 'app.post.get.app_error', 'Unable to get the post.');
    const refused = applyActionResponse(post, String(request.user_id), parsed);
    return refused ?? { status: 200, body: { status: 'OK', trigger_id: request.trigger_id } };
  }

  function applyActionResponse(
    post: StoredPost,
    userId: string,
    response: Body,
  ): Answer | undefined {
    const update = response.update as { message?: unknown; props?: unknown } | null | undefined;
    if (update !== undefined && update !== null) {
      const props = retainedProps(post.props, update.props);
      const refused = editPost(
        options,
        post,
        typeof update.message === 'string' ? update.message : '',
        props,
      );
      if (refused !== undefined) return refused;
    }
    if (typeof response.ephemeral_text === 'string' && response.ephemeral_text !== '') {
      const text =
        response.skip_slack_parsing === true
          ? response.ephemeral_text
          : slackLinksToMarkdown(response.ephemeral_text, (id) => userOf(id)?.username);
      const at = { userId, channelId: post.channel_id, rootId: post.root_id || post.id };
      ephemeral(options, at, text, {}, 'action');
    }
    return undefined;
  }
}

/** Every action of a post's attachments, as the server finds them (`Post.GetAction`). */
export function actionsOf(post: { props: Body }): Body[] {
  const attachments = Array.isArray(post.props.attachments)
    ? (post.props.attachments as Body[])
    : [];
  return attachments.flatMap((a) => (Array.isArray(a?.actions) ? (a.actions as Body[]) : []));
}

/** Kept across a button's `update` whatever its props say: `from_webhook`, `override_username`, `override_icon_url`. */
const RETAINED = ['from_webhook', 'override_username', 'override_icon_url'];

/** `update.props` absent or null keeps all props; present, it replaces them but for the retained keys. */
function retainedProps(original: Body, replacement: unknown): Body {
  if (typeof replacement !== 'object' || replacement === null) return original;
  const props: Body = { ...(replacement as Body) };
  for (const key of RETAINED) {
    if (key in original) props[key] = original[key];
    else delete props[key];
  }
  return props;
}

export type Integrations = ReturnType<typeof createIntegrations>;
