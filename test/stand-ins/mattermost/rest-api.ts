import type { IncomingMessage } from 'node:http';
import { appError, badBody, type Answer } from './app-error.js';
import { newId, type StandInUser } from './mattermost-state.js';
import {
  createEphemeral,
  createPost,
  getPost,
  getThread,
  updatePost,
  type PostsContext,
} from './posts-api.js';

export interface RestContext extends PostsContext {
  readonly botToken: string;
  readonly users: readonly StandInUser[];
  readonly team: { readonly id: string; readonly name: string };
  /** `FileSettings.MaxFileSize`: 100 MiB by default. */
  readonly maxFileSize: number;
}

type Body = Record<string, unknown>;
type Route = (
  ctx: RestContext,
  match: string[],
  body: Body,
  req: Request,
) => Answer | Promise<Answer>;

/** A failure or rate limit the test asked for, answered instead of the route. */
interface Injected {
  remaining: number;
  readonly answer: Answer;
  readonly when: (route: string) => boolean;
}

const ok = (body: unknown, status = 200): Answer => ({ status, body });
const userBody = (u: StandInUser) => ({
  id: u.id,
  username: u.username,
  is_bot: u.is_bot ?? false,
  roles: 'system_user',
  delete_at: 0,
  locale: 'en',
});

function fileInfo(f: RestContext['state']['files'][number]) {
  return {
    id: f.id,
    user_id: f.user_id,
    post_id: f.post_id,
    channel_id: f.channel_id,
    create_at: f.create_at,
    update_at: f.create_at,
    delete_at: 0,
    name: f.name,
    extension: f.name.includes('.') ? (f.name.split('.').at(-1) ?? '') : '',
    size: f.size,
    mime_type: f.mime_type,
  };
}

/** `POST /files`: a multipart form (`channel_id`, one `files` part per file) or a raw body with `?channel_id=&filename=`. */
async function uploadFiles(ctx: RestContext, req: Request): Promise<Answer> {
  const url = new URL(req.url);
  const type = req.headers.get('content-type') ?? '';
  const parts: { name: string; type: string; content: Buffer }[] = [];
  let channelId = url.searchParams.get('channel_id') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await req.formData();
    const field = form.get('channel_id');
    if (typeof field === 'string') channelId = field;
    for (const entry of form.getAll('files'))
      if (entry instanceof Blob)
        parts.push({
          name: entry instanceof File ? entry.name : 'file',
          type: entry.type || 'application/octet-stream',
          content: Buffer.from(await entry.arrayBuffer()),
        });
  } else {
    const filename = url.searchParams.get('filename') ?? '';
    if (filename === '') return badBody('filename');
    parts.push({
      name: filename,
      type: type || 'application/octet-stream',
      content: Buffer.from(await req.arrayBuffer()),
    });
  }
  if (!ctx.channels.some((c) => c.id === channelId))
    return appError(
      403,
      'api.context.permissions.app_error',
      'You do not have the appropriate permissions.',
    );
  if (parts.length === 0)
    return appError(
      400,
      'api.file.upload_file.incorrect_number_of_files.app_error',
      'Unable to upload files. Incorrect number of files specified.',
    );
  if (parts.some((p) => p.content.length > ctx.maxFileSize))
    return appError(
      413,
      'api.file.upload_file.too_large_detailed.app_error',
      'Unable to upload file. File is too large.',
    );
  const at = ctx.state.now();
  const stored = parts.map((p) => ({
    id: newId(),
    name: p.name,
    channel_id: channelId,
    user_id: ctx.botId,
    size: p.content.length,
    mime_type: p.type,
    content: p.content,
    create_at: at,
    post_id: '',
  }));
  ctx.state.files.push(...stored);
  return ok({ file_infos: stored.map(fileInfo), client_ids: [] }, 201);
}

function file(ctx: RestContext, id: string | undefined) {
  return ctx.state.files.find((f) => f.id === id);
}

const missingFile = () =>
  appError(404, 'app.file_info.get.app_error', 'Unable to get the file info.');

const ROUTES: [string, RegExp, Route][] = [
  ['GET', /^\/system\/ping$/, () => ok({ status: 'OK' })],
  [
    'GET',
    /^\/users\/me$/,
    (ctx) => ok(userBody(ctx.users.find((u) => u.id === ctx.botId) as StandInUser)),
  ],
  [
    'GET',
    /^\/users\/([a-z0-9]+)$/,
    (ctx, [, id]) => {
      const user = ctx.users.find((u) => u.id === id);
      return user
        ? ok(userBody(user))
        : appError(404, 'app.user.missing_account.const', 'Unable to find the user.');
    },
  ],
  [
    'GET',
    /^\/channels\/([a-z0-9]+)$/,
    (ctx, [, id]) => {
      const c = ctx.channels.find((ch) => ch.id === id);
      if (c === undefined)
        return appError(
          403,
          'api.context.permissions.app_error',
          'You do not have the appropriate permissions.',
        );
      return ok({
        id: c.id,
        name: c.name,
        display_name: c.display_name ?? c.name,
        type: c.type ?? 'O',
        team_id: ctx.team.id,
        delete_at: 0,
      });
    },
  ],
  ['POST', /^\/posts$/, (ctx, _m, body) => createPost(ctx, body)],
  ['POST', /^\/posts\/ephemeral$/, (ctx, _m, body) => createEphemeral(ctx, body)],
  ['GET', /^\/posts\/([a-z0-9]+)$/, (ctx, [, id]) => getPost(ctx, id ?? '')],
  ['PUT', /^\/posts\/([a-z0-9]+)$/, (ctx, [, id], body) => updatePost(ctx, id ?? '', body, true)],
  [
    'PUT',
    /^\/posts\/([a-z0-9]+)\/patch$/,
    (ctx, [, id], body) => updatePost(ctx, id ?? '', body, false),
  ],
  ['GET', /^\/posts\/([a-z0-9]+)\/thread$/, (ctx, [, id]) => getThread(ctx, id ?? '')],
  [
    'GET',
    /^\/posts\/([a-z0-9]+)\/files\/info$/,
    (ctx, [, id]) => ok(ctx.state.files.filter((f) => f.post_id === id).map(fileInfo)),
  ],
  ['POST', /^\/files$/, (ctx, _m, _b, req) => uploadFiles(ctx, req)],
  [
    'GET',
    /^\/files\/([a-z0-9]+)\/info$/,
    (ctx, [, id]) => {
      const f = file(ctx, id);
      return f ? ok(fileInfo(f)) : missingFile();
    },
  ],
  [
    'GET',
    /^\/files\/([a-z0-9]+)$/,
    (ctx, [, id]) => {
      const f = file(ctx, id);
      return f
        ? { status: 200, body: f.content, headers: { 'content-type': f.mime_type } }
        : missingFile();
    },
  ],
];

/** `Authorization: Bearer <token>` or `Token <token>` (any case), else `?access_token=`. */
function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^(bearer|token)\s+(\S+)$/i.exec(header);
  return match?.[2] ?? url.searchParams.get('access_token') ?? undefined;
}

function toRequest(req: IncomingMessage, url: URL, raw: Buffer): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers))
    if (typeof value === 'string') headers.set(key, value);
  const method = req.method ?? 'GET';
  return new Request(url, {
    method,
    headers,
    ...(method !== 'GET' && method !== 'HEAD' && { body: new Uint8Array(raw) }),
  });
}

export function createRestApi(ctx: RestContext) {
  const injected: Injected[] = [];
  const holds: { when: (route: string) => boolean; release: Promise<void> }[] = [];

  function injectedFor(route: string): Answer | undefined {
    const hit = injected.find((i) => i.remaining > 0 && i.when(route));
    if (hit === undefined) return undefined;
    hit.remaining -= 1;
    return hit.answer;
  }

  async function route(req: IncomingMessage, url: URL, raw: Buffer, name: string): Promise<Answer> {
    const path = url.pathname.slice('/api/v4'.length);
    const found = ROUTES.map(([m, re, handler]) => ({ m, match: re.exec(path), handler })).find(
      (r) => r.m === req.method && r.match !== null,
    );
    if (found === undefined)
      return appError(404, 'api.context.404.app_error', 'Sorry, we could not find the page.');
    const needsAuth = path !== '/system/ping';
    if (needsAuth && tokenOf(req, url) !== ctx.botToken)
      return appError(
        401,
        'api.context.session_expired.app_error',
        'Invalid or expired session, please login again.',
        `token=${tokenOf(req, url) ?? ''}`,
      );
    const replaced = injectedFor(name);
    if (replaced !== undefined) return replaced;
    for (const hold of holds.filter((h) => h.when(name))) await hold.release;
    let body: Body = {};
    const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
    if (isJson && raw.length > 0) {
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (typeof parsed === 'object' && parsed !== null) body = parsed as Body;
      } catch {
        return badBody('json');
      }
    }
    return found.handler(ctx, [...(found.match ?? [])], body, toRequest(req, url, raw));
  }

  return {
    /** Answers one `/api/v4/…` request; the rate limit, as the server's, comes before authentication. */
    async handle(req: IncomingMessage, url: URL, raw: Buffer): Promise<Answer> {
      const name = `${req.method ?? 'GET'} ${url.pathname}`;
      const limited = injected.find(
        (i) => i.remaining > 0 && i.answer.status === 429 && i.when(name),
      );
      if (limited !== undefined) {
        limited.remaining -= 1;
        return limited.answer;
      }
      return route(req, url, raw, name);
    },
    /**
     * The next `count` requests whose `METHOD /api/v4/path` matches `when` answer 429 as the
     * server's rate limiter does: a plain-text `limit exceeded` (not an AppError) with
     * `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (seconds to reset) and
     * `Retry-After`. `count` = `Infinity`: until `stop()`.
     */
    rateLimit(retryAfterSec: number, count = 1, when: (route: string) => boolean = () => true) {
      return inject({
        remaining: count,
        when,
        answer: {
          status: 429,
          body: 'limit exceeded\n',
          headers: {
            'x-ratelimit-limit': '10',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(retryAfterSec),
            'retry-after': String(retryAfterSec),
          },
        },
      });
    },
    /** Matching requests wait until `release` resolves (a slow server), then are answered. */
    hold(when: (route: string) => boolean, release: Promise<void>): void {
      holds.push({ when, release });
    },
    /** The next `count` matching requests answer an AppError with `status` and `id`. */
    failNext(status: number, id: string, count = 1, when: (route: string) => boolean = () => true) {
      return inject({
        remaining: count,
        when,
        answer: appError(status, id, 'Injected by the test.'),
      });
    },
  };

  function inject(entry: Injected): { stop(): void } {
    injected.push(entry);
    return {
      stop: () => {
        entry.remaining = 0;
      },
    };
  }
}

export type RestApi = ReturnType<typeof createRestApi>;
