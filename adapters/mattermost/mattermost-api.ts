import pkg from '@mattermost/client';
import type { Logger } from '../../src/core/ports/logger.js';

// @mattermost/client is CommonJS: its named exports are reached through the default export.
const { Client4 } = pkg;

/** A post as the REST API returns it (the fields this adapter reads). */
export interface MattermostPost {
  readonly id: string;
  readonly channel_id: string;
  readonly user_id: string;
  readonly root_id?: string;
  readonly message: string;
  readonly props?: { readonly attachments?: readonly unknown[] };
}

export interface NewPost {
  readonly channel_id: string;
  readonly message: string;
  readonly root_id?: string;
  readonly file_ids?: readonly string[];
  readonly props?: object;
}

/** A refusal from the server: the HTTP status and the AppError id when it sent one. */
export class MattermostApiError extends Error {
  override readonly name = 'MattermostApiError';
  readonly status: number;
  readonly errorId: string | undefined;
  constructor(status: number, errorId: string | undefined, message: string) {
    super(message);
    this.status = status;
    this.errorId = errorId;
  }
}

/** Every REST call gives up after this long (the server itself never makes us wait longer). */
const CALL_TIMEOUT_MS = 15_000;
/** 429s retried per call, each after the wait the server asks for (bounded below). */
const RATE_LIMIT_RETRIES = 3;
const MIN_WAIT_MS = 50;
const MAX_WAIT_MS = 10_000;

/**
 * The rate limiter (off by default; `RateLimitSettings`) answers 429 with `Retry-After` and
 * `X-RateLimit-Reset`, both in seconds, and a plain-text body; Client4 would lose both headers
 * in a ClientError, so calls here read the response themselves.
 */
export function retryAfterMs(headers: Headers): number {
  const seconds = Number(headers.get('retry-after') ?? headers.get('x-ratelimit-reset') ?? '1');
  // `0` means "within the second": a short pause, not a hammering retry.
  const ms = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
  return Math.min(Math.max(ms, MIN_WAIT_MS), MAX_WAIT_MS);
}

type Fetching = (
  url: string,
  options: { method: string; body?: string | FormData; ignoreStatus: true; signal: AbortSignal },
) => Promise<{ response: Response; data: unknown }>;

function errorOf(status: number, data: unknown): MattermostApiError {
  const body = typeof data === 'string' ? safeJson(data) : data;
  const { id, message } = (body ?? {}) as { id?: unknown; message?: unknown };
  return new MattermostApiError(
    status,
    typeof id === 'string' ? id : undefined,
    `Mattermost answered ${status}${typeof message === 'string' ? `: ${message}` : ''}`,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface MattermostApi {
  me(): Promise<{ readonly id: string; readonly username: string }>;
  createPost(post: NewPost): Promise<MattermostPost>;
  /** `props` present replaces the whole map: `{}` drops the buttons. */
  patchPost(id: string, patch: { message: string; props: object }): Promise<void>;
  /** The post, or undefined when the server does not know it (or will not show it to us). */
  getPost(id: string): Promise<MattermostPost | undefined>;
  createEphemeral(userId: string, post: NewPost): Promise<void>;
  /** Uploads one file into a channel; its file id for a post's `file_ids`. */
  uploadFile(
    channelId: string,
    file: { filename: string; contentType: string; content: string },
  ): Promise<string>;
}

/** REST API v4 through Client4 with the bot's token; 429 honoured with bounded retries. */
export function createMattermostApi(url: string, token: string, log: Logger): MattermostApi {
  const client = new Client4();
  client.setUrl(url);
  client.setToken(token);
  client.setIncludeCookies(false);
  const fetching = (client as unknown as { doFetchWithResponse: Fetching }).doFetchWithResponse;
  const call = async (method: string, path: string, body?: string | FormData): Promise<unknown> => {
    for (let attempt = 0; ; attempt += 1) {
      const { response, data } = await fetching(`${client.getBaseRoute()}${path}`, {
        method,
        ...(body !== undefined && { body }),
        ignoreStatus: true,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      if (response.ok) return typeof data === 'string' ? safeJson(data) : data;
      if (response.status !== 429 || attempt >= RATE_LIMIT_RETRIES)
        throw errorOf(response.status, data);
      const waitMs = retryAfterMs(response.headers);
      log.warn({ path, waitMs, attempt }, 'Mattermost rate limit: waiting as asked');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  };
  const json = (value: unknown) => JSON.stringify(value);
  return {
    me: async () => (await call('get', '/users/me')) as { id: string; username: string },
    createPost: async (post) => (await call('post', '/posts', json(post))) as MattermostPost,
    async patchPost(id, patch) {
      await call('put', `/posts/${encodeURIComponent(id)}/patch`, json(patch));
    },
    async getPost(id) {
      try {
        return (await call('get', `/posts/${encodeURIComponent(id)}`)) as MattermostPost;
      } catch (error) {
        // An unknown post id is 404, or 403 when the id names nothing we may read.
        if (error instanceof MattermostApiError && [400, 403, 404].includes(error.status))
          return undefined;
        throw error;
      }
    },
    async createEphemeral(userId, post) {
      await call('post', '/posts/ephemeral', json({ user_id: userId, post }));
    },
    async uploadFile(channelId, file) {
      const form = new FormData();
      form.append('channel_id', channelId);
      form.append('files', new Blob([file.content], { type: file.contentType }), file.filename);
      const result = (await call('post', '/files', form)) as { file_infos?: { id?: string }[] };
      const id = result.file_infos?.[0]?.id;
      if (typeof id !== 'string')
        throw new MattermostApiError(500, undefined, 'upload returned no file id');
      return id;
    },
  };
}
