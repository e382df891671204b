import { appError, badBody, forbidden, type Answer } from './app-error.js';
import {
  newId,
  type MattermostState,
  type StandInChannel,
  type StoredPost,
} from './mattermost-state.js';

export interface PostsContext {
  readonly state: MattermostState;
  readonly botId: string;
  readonly channels: readonly StandInChannel[];
  /** `ServiceSettings.MaxPostSize`: 16383 by default (65535 bytes / 4). */
  readonly maxPostSize: number;
  /** Whether the bot holds `create_post_ephemeral` (only system admins do by default). */
  readonly canPostEphemeral: boolean;
}

type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What `Post.IsValid` refuses with 400: too long a message, too many files, too large props. */
function invalid(
  ctx: PostsContext,
  message: string,
  props: Body,
  fileIds: unknown[],
): Answer | undefined {
  // The server counts code points (utf8.RuneCountInString), not UTF-16 units or bytes.
  const runes = [...message].length;
  if (runes > ctx.maxPostSize)
    return appError(
      400,
      'model.post.is_valid.message_length.app_error',
      `Invalid Message property length. Length is ${runes}, max length is ${ctx.maxPostSize}.`,
    );
  if (fileIds.length > 10)
    return appError(
      400,
      'model.post.is_valid.file_ids.app_error',
      'Invalid file ids. Note that uploads are limited to 10 files maximum.',
    );
  if ([...JSON.stringify(props)].length > 800_000)
    return appError(400, 'model.post.is_valid.props.app_error', 'Invalid Props.');
  return undefined;
}

/** Saving a post fills missing action ids (a per-post unique identifier) and types it by its attachments. */
function normalise(props: Body): { props: Body; type: string } {
  const copy = structuredClone(props);
  const attachments = Array.isArray(copy.attachments) ? (copy.attachments as Body[]) : undefined;
  for (const attachment of attachments ?? [])
    for (const action of Array.isArray(attachment?.actions) ? (attachment.actions as Body[]) : [])
      if (isObject(action) && (typeof action.id !== 'string' || action.id === ''))
        action.id = newId();
  delete copy.add_channel_member;
  delete copy.force_notification;
  return { props: copy, type: attachments !== undefined ? 'slack_attachment' : '' };
}

/**
 * A post as clients get it: the server strips every action's `integration` (URL and context)
 * from posts it sends to clients (`Post.StripActionIntegrations`, called by the post's JSON
 * encoding), so only the server ever sees where a click goes.
 */
export function forClient(post: StoredPost, ctx: PostsContext): Body {
  const props = structuredClone(post.props);
  for (const attachment of Array.isArray(props.attachments) ? (props.attachments as Body[]) : [])
    for (const action of Array.isArray(attachment?.actions) ? (attachment.actions as Body[]) : [])
      if (isObject(action)) delete action.integration;
  return {
    id: post.id,
    create_at: post.create_at,
    update_at: post.update_at,
    edit_at: post.edit_at,
    delete_at: 0,
    is_pinned: false,
    user_id: post.user_id,
    channel_id: post.channel_id,
    root_id: post.root_id,
    original_id: '',
    message: post.message,
    type: post.type,
    props,
    hashtags: '',
    file_ids: [...post.file_ids],
    pending_post_id: '',
    reply_count: ctx.state.posts.filter((p) => p.root_id === (post.root_id || post.id)).length,
    metadata: {},
  };
}

function rootCheck(ctx: PostsContext, channelId: string, rootId: string): Answer | undefined {
  if (rootId === '') return undefined;
  const root = ctx.state.posts.find((p) => p.id === rootId);
  if (root === undefined || root.root_id !== '')
    return appError(400, 'api.post.create_post.root_id.app_error', 'Invalid RootId parameter.');
  if (root.channel_id !== channelId)
    return appError(
      400,
      'api.post.create_post.channel_root_id.app_error',
      'Invalid ChannelId for RootId parameter.',
    );
  return undefined;
}

/** Stores a post by `userId` after the checks `POST /api/v4/posts` makes; the bot's own posts and command answers go through here. */
export function storePost(ctx: PostsContext, userId: string, body: Body): Answer | StoredPost {
  const channelId = typeof body.channel_id === 'string' ? body.channel_id : '';
  if (!ctx.channels.some((c) => c.id === channelId)) return forbidden();
  const rootId = typeof body.root_id === 'string' ? body.root_id : '';
  const refused = rootCheck(ctx, channelId, rootId);
  if (refused !== undefined) return refused;
  const message = typeof body.message === 'string' ? body.message : '';
  const wanted = Array.isArray(body.file_ids) ? (body.file_ids as unknown[]) : [];
  const rawProps = isObject(body.props) ? body.props : {};
  const bad = invalid(ctx, message, rawProps, wanted);
  if (bad !== undefined) return bad;
  const { props, type } = normalise(rawProps);
  const files = ctx.state.files.filter(
    (f) => wanted.includes(f.id) && f.post_id === '' && f.channel_id === channelId,
  );
  const at = ctx.state.now();
  const post: StoredPost = {
    id: newId(),
    channel_id: channelId,
    root_id: rootId,
    user_id: userId,
    message,
    props,
    file_ids: files.map((f) => f.id),
    type,
    create_at: at,
    update_at: at,
    edit_at: 0,
    history: [],
  };
  for (const file of files) file.post_id = post.id;
  ctx.state.posts.push(post);
  return post;
}

/** Replaces a post's message and props, keeping the old version; used by the REST edits and by a button's `update`. */
export function editPost(
  ctx: PostsContext,
  post: StoredPost,
  message: string,
  props: Body,
): Answer | undefined {
  const bad = invalid(ctx, message, props, post.file_ids);
  if (bad !== undefined) return bad;
  const normalised = normalise(props);
  post.history.push({ message: post.message, props: post.props });
  post.message = message;
  post.props = normalised.props;
  post.type = normalised.type;
  post.update_at = ctx.state.now();
  post.edit_at = post.update_at;
  return undefined;
}

const isAnswer = (v: Answer | StoredPost): v is Answer => 'status' in v;

export function createPost(ctx: PostsContext, body: Body): Answer {
  const stored = storePost(ctx, ctx.botId, body);
  return isAnswer(stored) ? stored : { status: 201, body: forClient(stored, ctx) };
}

/** `PUT /posts/{id}/patch` (present fields only) and `PUT /posts/{id}` (the whole post). */
export function updatePost(ctx: PostsContext, id: string, body: Body, whole: boolean): Answer {
  const post = ctx.state.posts.find((p) => p.id === id);
  // The permission check (edit_post on one's own posts) comes first, so an unknown post is a 403.
  if (post === undefined || post.user_id !== ctx.botId) return forbidden();
  if (whole && body.id !== id) return badBody('id');
  const message = typeof body.message === 'string' ? body.message : whole ? '' : post.message;
  const props = isObject(body.props) ? body.props : whole ? {} : post.props;
  const refused = editPost(ctx, post, message, props);
  return refused ?? { status: 200, body: forClient(post, ctx) };
}

export function getPost(ctx: PostsContext, id: string): Answer {
  const post = ctx.state.posts.find((p) => p.id === id);
  if (post === undefined) return appError(404, 'app.post.get.app_error', 'Unable to get the post.');
  return { status: 200, body: forClient(post, ctx) };
}

/** The root and its replies as a `PostList`, newest first in `order`, as the server returns threads. */
export function getThread(ctx: PostsContext, id: string): Answer {
  const post = ctx.state.posts.find((p) => p.id === id);
  if (post === undefined) return appError(404, 'app.post.get.app_error', 'Unable to get the post.');
  const rootId = post.root_id || post.id;
  const posts = ctx.state.posts.filter((p) => p.id === rootId || p.root_id === rootId);
  const order = [...posts].sort((a, b) => b.create_at - a.create_at).map((p) => p.id);
  return {
    status: 200,
    body: {
      order,
      posts: Object.fromEntries(posts.map((p) => [p.id, forClient(p, ctx)])),
      next_post_id: '',
      prev_post_id: '',
      has_next: false,
    },
  };
}

/** `POST /posts/ephemeral {user_id, post}`: needs `create_post_ephemeral`, which a plain bot lacks. */
export function createEphemeral(ctx: PostsContext, body: Body): Answer {
  if (!ctx.canPostEphemeral) return forbidden();
  const post = isObject(body.post) ? body.post : undefined;
  const userId = typeof body.user_id === 'string' ? body.user_id : '';
  if (post === undefined || userId === '') return badBody('post');
  const channelId = typeof post.channel_id === 'string' ? post.channel_id : '';
  if (!ctx.channels.some((c) => c.id === channelId)) return forbidden();
  const message = typeof post.message === 'string' ? post.message : '';
  const props = isObject(post.props) ? post.props : {};
  const bad = invalid(ctx, message, props, []);
  if (bad !== undefined) return bad;
  const ephemeral = {
    id: newId(),
    user_id: userId,
    channel_id: channelId,
    root_id: typeof post.root_id === 'string' ? post.root_id : '',
    message,
    props,
    via: 'api' as const,
  };
  ctx.state.ephemerals.push(ephemeral);
  const at = ctx.state.now();
  return {
    status: 201,
    body: {
      ...ephemeral,
      via: undefined,
      user_id: ctx.botId,
      type: 'system_ephemeral',
      create_at: at,
      update_at: at,
    },
  };
}
