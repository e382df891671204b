import type { UploadedFile } from './read-request.js';
import { messageProblems, wouldPing, type MentionDefault } from './message-rules.js';
import { ApiError, isObject, type Json, type StoredMessage } from './stand-in-state.js';

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
export const HAS_THREAD = 1 << 5;
const SETTABLE_FLAGS = (1 << 2) | EPHEMERAL | (1 << 12);

export interface MessageAuthor {
  readonly id: string;
  readonly username: string;
}

export interface NewMessage {
  readonly id: string;
  readonly channelId: string;
  readonly guildId: string;
  readonly author: MessageAuthor;
  /** 0 default, 20 chat-input command response. */
  readonly type: number;
  readonly webhookId?: string;
  readonly applicationId?: string;
  readonly interaction?: Json;
}

/**
 * Messages as Discord keeps them: created and edited only with valid bodies, attachments
 * from uploaded `files[n]` (kept on edit unless `attachments` lists otherwise), mentions
 * worked out from `allowed_mentions` and the endpoint's default.
 */
export function messageStore(onPing: (ping: { messageId: string; pings: string[] }) => void) {
  const messages = new Map<string, StoredMessage>();

  function check(body: Json, files: readonly UploadedFile[]): void {
    const problems = messageProblems(body, files);
    if (problems.length > 0) throw new ApiError(400, 50035, 'Invalid Form Body', problems);
  }

  function attachmentsOf(
    body: Json,
    files: readonly UploadedFile[],
    kept: Map<string, UploadedFile>,
    existing: readonly Json[],
    channelId: string,
    messageId: string,
  ) {
    const listed = Array.isArray(body.attachments)
      ? (body.attachments as unknown[]).filter(isObject)
      : undefined;
    const uploads = new Map(
      files.map((f) => [/^files\[(\d+)\]$/.exec(f.field)?.[1] ?? f.field, f]),
    );
    const result: Json[] =
      listed === undefined
        ? [...existing]
        : existing.filter((a) => listed.some((l) => String(l.id) === String(a.id)));
    for (const [index, file] of uploads) {
      const meta = listed?.find((l) => String(l.id) === index);
      const id = `${messageId}${index.padStart(2, '0')}`;
      kept.set(id, file);
      result.push({
        id,
        filename: typeof meta?.filename === 'string' ? meta.filename : file.filename,
        size: file.size,
        content_type: file.contentType,
        url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`,
        proxy_url: `https://media.discordapp.net/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`,
        ...(typeof meta?.description === 'string' && { description: meta.description }),
      });
    }
    return result;
  }

  function settle(stored: StoredMessage, body: Json, defaults: MentionDefault): void {
    const m = stored.json;
    const empty =
      !m.content &&
      (m.embeds as unknown[]).length === 0 &&
      (m.components as unknown[]).length === 0 &&
      (m.attachments as unknown[]).length === 0;
    if (empty && ((m.flags as number) & LOADING) === 0)
      throw new ApiError(400, 50006, 'Cannot send an empty message');
    const pings = wouldPing(m.content, body.allowed_mentions, defaults);
    m.mention_everyone = pings.some((p) => p === 'everyone' || p === 'here');
    m.mentions = pings.filter((p) => p.startsWith('user:')).map((p) => ({ id: p.slice(5) }));
    m.mention_roles = pings.filter((p) => p.startsWith('role:')).map((p) => p.slice(5));
    if (pings.length > 0) onPing({ messageId: stored.json.id as string, pings });
  }

  return {
    messages,
    get(id: string): StoredMessage | undefined {
      const found = messages.get(id);
      return found === undefined || found.deleted ? undefined : found;
    },
    /** A new message; `loading` makes the empty "thinking…" message of a deferral. */
    create(
      meta: NewMessage,
      body: Json,
      files: readonly UploadedFile[],
      defaults: MentionDefault,
      loading = false,
    ): StoredMessage {
      check(body, files);
      const flags =
        (typeof body.flags === 'number' ? body.flags & SETTABLE_FLAGS : 0) |
        (loading ? LOADING : 0);
      if (defaults === 'message' && (flags & EPHEMERAL) !== 0)
        throw new ApiError(400, 50035, 'Invalid Form Body', [
          'flags: ephemeral only in interaction responses',
        ]);
      const kept = new Map<string, UploadedFile>();
      const stored: StoredMessage = {
        channelId: meta.channelId,
        ephemeral: (flags & EPHEMERAL) !== 0,
        deleted: false,
        versions: [body],
        files: kept,
        json: {
          id: meta.id,
          type: meta.type,
          channel_id: meta.channelId,
          guild_id: meta.guildId,
          author: {
            id: meta.author.id,
            username: meta.author.username,
            discriminator: '0',
            global_name: null,
            avatar: null,
            bot: true,
          },
          content: typeof body.content === 'string' ? body.content : '',
          embeds: Array.isArray(body.embeds) ? body.embeds : [],
          components: Array.isArray(body.components) ? body.components : [],
          attachments: attachmentsOf(body, files, kept, [], meta.channelId, meta.id),
          flags,
          timestamp: new Date().toISOString(),
          edited_timestamp: null,
          tts: false,
          pinned: false,
          mention_everyone: false,
          mentions: [],
          mention_roles: [],
          ...(meta.webhookId !== undefined && { webhook_id: meta.webhookId }),
          ...(meta.applicationId !== undefined && { application_id: meta.applicationId }),
          ...(meta.interaction !== undefined && { interaction_metadata: meta.interaction }),
        },
      };
      settle(stored, body, defaults);
      messages.set(meta.id, stored);
      return stored;
    },
    /** An edit: given fields replace, the rest stays; the loading state ends. */
    edit(
      stored: StoredMessage,
      body: Json,
      files: readonly UploadedFile[],
      defaults: MentionDefault,
    ): StoredMessage {
      check(body, files);
      const m = stored.json;
      const next: Json = { ...m };
      if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
      if ('embeds' in body) next.embeds = Array.isArray(body.embeds) ? body.embeds : [];
      if ('components' in body)
        next.components = Array.isArray(body.components) ? body.components : [];
      if ('attachments' in body || files.length > 0) {
        next.attachments = attachmentsOf(
          body,
          files,
          stored.files,
          m.attachments as Json[],
          stored.channelId,
          m.id as string,
        );
      }
      next.flags =
        ((m.flags as number) & ~LOADING) |
        (typeof body.flags === 'number' ? body.flags & (1 << 2) : 0);
      next.edited_timestamp = new Date().toISOString();
      const merged = {
        ...body,
        content: next.content,
        embeds: next.embeds,
        components: next.components,
      };
      check(merged, []);
      const previous = stored.json;
      stored.json = next;
      try {
        settle(stored, body, defaults);
      } catch (error) {
        stored.json = previous;
        throw error;
      }
      stored.versions.push(body);
      return stored;
    },
  };
}

export type MessageStore = ReturnType<typeof messageStore>;
