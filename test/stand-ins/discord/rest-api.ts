import type { IncomingMessage, ServerResponse } from 'node:http';
import { channelResources, type RestContext } from './channel-resources.js';
import { followUp, interactionCallback, webhookMessage } from './interaction-routes.js';
import { readRequestBody, type UploadedFile } from './read-request.js';
import { ApiError, isObject, type Json, type RecordedRequest } from './stand-in-state.js';

const json = (res: ServerResponse, status: number, body?: unknown) => {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/**
 * The REST API under `/api/v10`: every call recorded, `Authorization: Bot <token>` required
 * except for interaction callbacks and webhooks, JSON answers with `Content-Type:
 * application/json` (discord.js reads anything else as bytes), errors as Discord words them.
 */
export function restApi(
  ctx: RestContext,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const {
    store,
    newId,
    applicationId,
    guildId,
    bot,
    interactions,
    byToken,
    token,
    requests,
    commands,
  } = ctx;
  const { channel, channelMessage, startThread, putCommands } = channelResources(ctx);
  type Route = (
    m: RegExpExecArray,
    body: Json,
    files: readonly UploadedFile[],
    record: RecordedRequest,
  ) => [number, unknown?];
  const authed =
    (route: Route): Route =>
    (m, body, files, record) => {
      if (!record.authorized) throw new ApiError(401, 0, '401: Unauthorized');
      return route(m, body, files, record);
    };
  const messageBody = (record: RecordedRequest, body: Json) => {
    record.message = body;
    return body;
  };
  const routes: [string, RegExp, Route][] = [
    [
      'GET',
      /^\/gateway\/bot$/,
      authed(() => [
        200,
        {
          url: ctx.gatewayUrl(),
          shards: 1,
          session_start_limit: {
            total: 1000,
            remaining: 999,
            reset_after: 14_400_000,
            max_concurrency: 1,
          },
        },
      ]),
    ],
    [
      'GET',
      /^\/users\/@me$/,
      authed(() => [
        200,
        {
          id: bot.id,
          username: bot.username,
          discriminator: '0',
          global_name: null,
          avatar: null,
          bot: true,
          flags: 0,
        },
      ]),
    ],
    [
      'PUT',
      /^\/applications\/(\d+)\/commands$/,
      authed((m, _b, _f, r) =>
        m[1] === applicationId
          ? [200, putCommands('global', r.body)]
          : [403, { code: 50001, message: 'Missing Access' }],
      ),
    ],
    ['GET', /^\/applications\/(\d+)\/commands$/, authed(() => [200, commands.global])],
    [
      'PUT',
      /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/,
      authed((m, _b, _f, r) =>
        m[1] === applicationId && m[2] === guildId
          ? [200, putCommands('guild', r.body)]
          : [403, { code: 50001, message: 'Missing Access' }],
      ),
    ],
    [
      'GET',
      /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/,
      authed(() => [200, commands.guild]),
    ],
    [
      'POST',
      /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
      (m, body, files, record) => {
        const interaction = interactions.get(m[1] ?? '');
        interaction?.calls.push(record);
        if (isObject(body.data) && (body.type === 4 || body.type === 7))
          messageBody(record, body.data);
        const message = interactionCallback(ctx, m[1] ?? '', m[2] ?? '', body, files);
        if (record.query.with_response !== 'true') return [204];
        return [
          200,
          {
            interaction: { id: m[1], type: interaction?.type },
            ...(message && { resource: { type: body.type, message: message.json } }),
          },
        ];
      },
    ],
    [
      'POST',
      /^\/webhooks\/(\d+)\/([^/]+)$/,
      (m, body, files, record) => {
        byToken.get(m[2] ?? '')?.calls.push(record);
        return [200, followUp(ctx, m[1] ?? '', m[2] ?? '', messageBody(record, body), files).json];
      },
    ],
    [
      'GET|PATCH|DELETE',
      /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
      (m, body, files, record) => {
        byToken.get(m[2] ?? '')?.calls.push(record);
        if (record.method === 'PATCH') messageBody(record, body);
        const message = webhookMessage(
          ctx,
          record.method,
          m[1] ?? '',
          m[2] ?? '',
          m[3] ?? '',
          body,
          files,
        );
        return message === undefined ? [204] : [200, message.json];
      },
    ],
    ['GET', /^\/channels\/(\d+)$/, authed((m) => [200, channel(m[1] ?? '').json])],
    [
      'POST',
      /^\/channels\/(\d+)\/messages$/,
      authed((m, body, files, record) => {
        channel(m[1] ?? '');
        const created = store.create(
          { id: newId(), channelId: m[1] ?? '', guildId, author: bot, type: 0 },
          messageBody(record, body),
          files,
          'message',
        );
        return [200, created.json];
      }),
    ],
    [
      'GET|PATCH|DELETE',
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      authed((m, body, files, record) => {
        const message = channelMessage(m[1] ?? '', m[2] ?? '');
        if (record.method === 'GET') return [200, message.json];
        if (record.method === 'DELETE') {
          message.deleted = true;
          return [204];
        }
        if ((message.json.author as Json).id !== bot.id)
          throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
        return [200, store.edit(message, messageBody(record, body), files, 'message').json];
      }),
    ],
    [
      'POST',
      /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/,
      authed((m, body) => [201, startThread(m[1] ?? '', m[2] ?? '', body)]),
    ],
  ];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const record: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      authorized: req.headers.authorization === `Bot ${token}`,
      status: 0,
    };
    requests.push(record);
    try {
      if (!url.pathname.startsWith('/api/v10/')) throw new ApiError(404, 0, '404: Not Found');
      const parsed = await readRequestBody(req);
      const body = isObject(parsed.json) ? parsed.json : {};
      Object.assign(record, {
        body: parsed.json === undefined ? undefined : (parsed.json as Json),
        files: parsed.files,
      });
      for (const [methods, pattern, route] of routes) {
        const m = pattern.exec(path);
        if (m === null || !methods.split('|').includes(record.method)) continue;
        const [status, answer] = route(m, body, parsed.files, record);
        record.status = status;
        return json(res, status, answer);
      }
      throw new ApiError(404, 0, '404: Not Found');
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(500, 0, String(error));
      record.status = e.status;
      record.error = {
        code: e.code,
        message: e.message,
        ...(e.problems.length > 0 && { problems: e.problems }),
      };
      json(res, e.status, {
        code: e.code,
        message: e.message,
        ...(e.problems.length > 0 && {
          errors: { _errors: e.problems.map((p) => ({ code: 'INVALID', message: p })) },
        }),
      });
    }
  }

  return handle;
}
