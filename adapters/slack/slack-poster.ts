import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/core/ports/logger.js';
import type { Reply } from '../../src/core/reply.js';
import { renderBlocks, renderEphemeralPages, type RenderOptions } from './render-blocks.js';
import { renderPlain } from './render-plain.js';
import { SHAPE_ERRORS, slackErrorCode } from './slack-error.js';
import { section, type SlackFile, type SlackMessage } from './slack-message.js';
import { escapeText } from './slack-text.js';

export interface PostedMessage {
  readonly ts: string;
  /** The thread the message opened or sits in: where its files and later replies go. */
  readonly threadTs: string;
}

interface PosterDeps {
  readonly client: webApi.WebClient;
  readonly log: Logger;
  readonly render: RenderOptions;
}

/** What every message we send has: no unfurling, and never `link_names` or `parse`. */
const QUIET = { unfurl_links: false, unfurl_media: false } as const;

function plainFallback(reply: Reply, code: string, command: string): SlackMessage {
  const note = `Slack refused this answer's layout (${code}); all of it is in the file attached in the thread.`;
  return {
    text: escapeText(reply.title).slice(0, 3000),
    blocks: [section(`*${escapeText(reply.title).slice(0, 2900)}*`), section(escapeText(note))],
    files: [
      { filename: 'answer.txt', title: 'answer.txt', content: renderPlain(reply, command) },
      ...(reply.attachments ?? []).map((a) => ({
        filename: a.filename,
        title: a.filename,
        content: a.content,
      })),
    ],
  };
}

async function uploadFiles(
  client: webApi.WebClient,
  channel: string,
  threadTs: string,
  files: readonly SlackFile[],
): Promise<void> {
  for (const file of files) {
    // files.uploadV2: getUploadURLExternal → POST to the absolute upload_url → completeUploadExternal.
    await client.filesUploadV2({
      channel_id: channel,
      thread_ts: threadTs,
      file: Buffer.from(file.content, 'utf8'),
      filename: file.filename,
      title: file.title,
    });
  }
}

async function send(
  client: webApi.WebClient,
  channel: string,
  threadTs: string | undefined,
  message: SlackMessage,
): Promise<PostedMessage> {
  const result = await client.chat.postMessage({
    channel,
    text: message.text,
    blocks: [...message.blocks],
    ...(threadTs !== undefined && { thread_ts: threadTs }),
    ...QUIET,
  });
  const ts = result.ts ?? '';
  const thread = threadTs ?? ts;
  await uploadFiles(client, channel, thread, message.files);
  return { ts, threadTs: thread };
}

/** A channel message (in a thread when `threadTs` is given), its files in its thread. */
async function postReply(
  deps: PosterDeps,
  channel: string,
  threadTs: string | undefined,
  reply: Reply,
): Promise<PostedMessage> {
  try {
    return await send(deps.client, channel, threadTs, renderBlocks(reply, deps.render));
  } catch (error) {
    const code = slackErrorCode(error);
    if (!SHAPE_ERRORS.has(code)) throw error;
    // A renderer bug must not cost the answer: the plain layout and the whole text as a file.
    deps.log.error(
      { err: error, code, title: reply.title },
      'Slack refused the blocks; posting the plain fallback',
    );
    return send(
      deps.client,
      channel,
      threadTs,
      plainFallback(reply, code, deps.render.command ?? 'tas'),
    );
  }
}

/** Only `user` sees it; long answers continue in further ephemeral messages. */
async function postEphemeral(
  deps: PosterDeps,
  channel: string,
  user: string,
  reply: Reply,
  threadTs?: string,
): Promise<void> {
  for (const page of renderEphemeralPages(reply, deps.render)) {
    await deps.client.chat.postEphemeral({
      channel,
      user,
      text: page.text,
      blocks: [...page.blocks],
      ...(threadTs !== undefined && { thread_ts: threadTs }),
    });
  }
}

/** Edits a message in place; files that do not fit go into its thread. */
async function updateMessage(
  deps: PosterDeps,
  channel: string,
  ts: string,
  threadTs: string | undefined,
  reply: Reply,
): Promise<void> {
  const message = renderBlocks(reply, deps.render);
  await deps.client.chat.update({ channel, ts, text: message.text, blocks: [...message.blocks] });
  await uploadFiles(deps.client, channel, threadTs ?? ts, message.files);
}

/**
 * Sends rendered replies through the bot's WebClient: messages and their files (three-step
 * upload into the thread), ephemeral pages, card updates. One place that knows the Web API calls.
 */
export function createSlackPoster(client: webApi.WebClient, log: Logger, render: RenderOptions) {
  const deps: PosterDeps = { client, log, render };
  return {
    post: (channel: string, threadTs: string | undefined, reply: Reply) =>
      postReply(deps, channel, threadTs, reply),
    postEphemeral: (channel: string, user: string, reply: Reply, threadTs?: string) =>
      postEphemeral(deps, channel, user, reply, threadTs),
    /** A short ephemeral note, already escaped mrkdwn (failure notices). */
    async postNote(channel: string, user: string, mrkdwnText: string): Promise<void> {
      await client.chat.postEphemeral({
        channel,
        user,
        text: mrkdwnText,
        blocks: [section(mrkdwnText)],
      });
    },
    update: (channel: string, ts: string, threadTs: string | undefined, reply: Reply) =>
      updateMessage(deps, channel, ts, threadTs, reply),
  };
}

export type SlackPoster = ReturnType<typeof createSlackPoster>;
