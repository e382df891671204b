import type { Reply } from '../../src/core/reply.js';
import type { MattermostApi, MattermostPost } from './mattermost-api.js';
import { MATTERMOST_LIMITS } from './mattermost-limits.js';
import {
  renderPages,
  renderPost,
  type MattermostFile,
  type MattermostMessage,
  type RenderOptions,
} from './render-post.js';

export interface PostedMessage {
  readonly id: string;
  /** The thread the post opened or sits in: where later replies go. */
  readonly rootId: string;
}

interface PosterDeps {
  readonly api: MattermostApi;
  readonly render: RenderOptions;
}

async function upload(api: MattermostApi, channel: string, files: readonly MattermostFile[]) {
  const ids: string[] = [];
  for (const file of files) ids.push(await api.uploadFile(channel, file));
  return ids;
}

/** Files past the ten a post may carry go into the thread, ten to a reply. */
async function postRest(api: MattermostApi, channel: string, rootId: string, ids: string[]) {
  for (let i = 0; i < ids.length; i += MATTERMOST_LIMITS.fileIds)
    await api.createPost({
      channel_id: channel,
      root_id: rootId,
      message: '',
      file_ids: ids.slice(i, i + MATTERMOST_LIMITS.fileIds),
    });
}

async function send(
  deps: PosterDeps,
  channel: string,
  rootId: string | undefined,
  message: MattermostMessage,
): Promise<PostedMessage> {
  const ids = await upload(deps.api, channel, message.files);
  const posted: MattermostPost = await deps.api.createPost({
    channel_id: channel,
    message: message.message,
    props: message.props,
    ...(rootId !== undefined && { root_id: rootId }),
    ...(ids.length > 0 && { file_ids: ids.slice(0, MATTERMOST_LIMITS.fileIds) }),
  });
  const thread = rootId ?? (posted.root_id || posted.id);
  await postRest(deps.api, channel, thread, ids.slice(MATTERMOST_LIMITS.fileIds));
  return { id: posted.id, rootId: thread };
}

/**
 * Sends rendered replies through the REST API with the bot's token: posts with their files,
 * ephemeral pages, card updates in place. One place that knows which calls carry a reply.
 */
export function createMattermostPoster(api: MattermostApi, render: RenderOptions) {
  const deps: PosterDeps = { api, render };
  return {
    /** A channel post (a reply in `rootId`'s thread when given), files attached. */
    post: (channel: string, rootId: string | undefined, reply: Reply) =>
      send(deps, channel, rootId, renderPost(reply, render)),
    /** Only `user` sees it (`POST /api/v4/posts/ephemeral`); long answers continue in more. */
    async postEphemeral(channel: string, user: string, reply: Reply, rootId?: string) {
      for (const message of renderPages(reply, render.command))
        await api.createEphemeral(user, {
          channel_id: channel,
          message,
          ...(rootId !== undefined && { root_id: rootId }),
        });
    },
    /**
     * Edits a card in place. `props` always goes along, so buttons the reply no longer has are
     * dropped; files go into the card's thread (an edit cannot add them to the post).
     */
    async update(channel: string, id: string, rootId: string | undefined, reply: Reply) {
      const message = renderPost(reply, render);
      await api.patchPost(id, { message: message.message, props: message.props });
      const ids = await upload(api, channel, message.files);
      await postRest(api, channel, rootId ?? id, ids);
    },
  };
}

export type MattermostPoster = ReturnType<typeof createMattermostPoster>;
