import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackState, StoredMessage } from './slack-state.js';
import { validateBlocks } from './validate-blocks.js';

export interface WebApiOptions {
  readonly botToken: string;
  readonly appToken: string;
  /** `http://127.0.0.1:P`, for the upload URLs and the Socket Mode URL it hands out. */
  readonly origin: () => string;
}

type Params = Record<string, unknown>;
type Answer = { status: number; body: Params; headers?: Record<string, string> };

const ok = (body: Params = {}): Answer => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string, extra: Params = {}): Answer => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

/** A failure or rate limit the test asked for, answered instead of the method. */
interface Injected {
  readonly method: string;
  remaining: number;
  readonly answer: Answer;
  readonly when?: (params: Params) => boolean;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Form bodies (what @slack/web-api sends) and JSON bodies (what Slack also accepts). */
function parseParams(raw: Buffer, contentType: string | undefined): Params | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim();
  if (type === 'application/x-www-form-urlencoded')
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8') || '{}');
      return typeof parsed === 'object' && parsed !== null ? (parsed as Params) : undefined;
    } catch {
      return undefined;
    }
  }
  return raw.length === 0 ? {} : undefined;
}

/** `blocks` and `files` arrive JSON-encoded in one form field, or as arrays in JSON bodies. */
function jsonField(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (value === undefined) return { ok: true, value: undefined };
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false };
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The message body checks `chat.postMessage`, `chat.update` and `chat.postEphemeral` share. */
function checkContent(
  params: Params,
): { answer: Answer } | { text: string; blocks: unknown[]; truncated: boolean } {
  const blocks = jsonField(params.blocks);
  if (!blocks.ok) return { answer: fail('invalid_blocks_format') };
  const text = typeof params.text === 'string' ? params.text : '';
  if (blocks.value !== undefined) {
    const problems = validateBlocks(blocks.value);
    if (problems.length > 0)
      return {
        answer: fail('invalid_blocks', {
          errors: problems,
          response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
        }),
      };
  }
  const list = Array.isArray(blocks.value) ? (blocks.value as unknown[]) : [];
  if (text === '' && list.length === 0) return { answer: fail('no_text') };
  const truncated = text.length > 40_000;
  return { text: truncated ? text.slice(0, 40_000) : text, blocks: list, truncated };
}

const TRUNCATED_WARNING =
  '[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters.';

export function createWebApi(state: SlackState, options: WebApiOptions) {
  const injected: Injected[] = [];
  const holds: { method: string; release: Promise<void> }[] = [];

  const rootOf = (channel: string, ts: string | undefined): StoredMessage | undefined =>
    ts === undefined ? undefined : state.messages.find((m) => m.channel === channel && m.ts === ts);

  function threadRoot(channel: string, threadTs: unknown): { root?: string; answer?: Answer } {
    const ts = str(threadTs);
    if (ts === undefined) return {};
    const target = rootOf(channel, ts);
    if (target === undefined) return { answer: fail('thread_not_found') };
    return { root: target.thread_ts ?? target.ts };
  }

  const methods: Record<string, (params: Params) => Answer> = {
    'auth.test': () =>
      ok({
        url: 'https://standin.slack.example/',
        team: 'Stand-in',
        user: 'tas',
        team_id: 'T0STANDIN',
        user_id: 'U0BOT',
        bot_id: 'B0BOT',
        app_id: 'A0STANDIN',
      }),
    'apps.connections.open': () =>
      ok({ url: `${options.origin().replace(/^http/, 'ws')}/link?ticket=${state.nextTs()}` }),
    'chat.postMessage': (params) => {
      const channel = str(params.channel);
      if (channel === undefined) return fail('channel_not_found');
      const thread = threadRoot(channel, params.thread_ts);
      if (thread.answer) return thread.answer;
      const content = checkContent(params);
      if ('answer' in content) return content.answer;
      const message: StoredMessage = {
        channel,
        ts: state.nextTs(),
        ...(thread.root && { thread_ts: thread.root }),
        text: content.text,
        blocks: content.blocks,
        history: [],
      };
      state.messages.push(message);
      return ok({
        channel,
        ts: message.ts,
        message: {
          type: 'message',
          subtype: 'bot_message',
          text: message.text,
          ts: message.ts,
          bot_id: 'B0BOT',
          ...(thread.root && { thread_ts: thread.root }),
        },
        ...(content.truncated && {
          response_metadata: { warnings: ['message_truncated'], messages: [TRUNCATED_WARNING] },
        }),
      });
    },
    'chat.update': (params) => {
      const channel = str(params.channel);
      if (channel === undefined) return fail('channel_not_found');
      const message = rootOf(channel, str(params.ts));
      if (message === undefined) return fail('message_not_found');
      const content = checkContent(params);
      if ('answer' in content) return content.answer;
      message.history.push({ text: message.text, blocks: message.blocks });
      message.text = content.text;
      message.blocks = content.blocks;
      return ok({
        channel,
        ts: message.ts,
        text: message.text,
        message: { text: message.text, ts: message.ts },
      });
    },
    'chat.postEphemeral': (params) => {
      const channel = str(params.channel);
      const user = str(params.user);
      if (channel === undefined) return fail('channel_not_found');
      if (user === undefined) return fail('user_not_found');
      const thread = threadRoot(channel, params.thread_ts);
      if (thread.answer) return thread.answer;
      const content = checkContent(params);
      if ('answer' in content) return content.answer;
      const message_ts = state.nextTs();
      state.ephemerals.push({
        channel,
        user,
        message_ts,
        text: content.text,
        blocks: content.blocks,
        ...(thread.root && { thread_ts: thread.root }),
      });
      return ok({ message_ts });
    },
    'files.getUploadURLExternal': (params) => {
      const filename = str(params.filename);
      const length = Number(params.length);
      if (filename === undefined || !Number.isInteger(length) || length < 0)
        return fail('invalid_arguments');
      const id = state.nextFileId();
      state.files.push({ id, filename, length, completed: false });
      return ok({ upload_url: `${options.origin()}/upload/${id}`, file_id: id });
    },
    'files.completeUploadExternal': (params) => {
      const files = jsonField(params.files);
      if (!files.ok || !Array.isArray(files.value) || files.value.length === 0)
        return fail('invalid_arguments');
      const channel = str(params.channel_id);
      const thread = channel === undefined ? {} : threadRoot(channel, params.thread_ts);
      if (thread.answer) return thread.answer;
      const done: Params[] = [];
      for (const entry of files.value as { id?: unknown; title?: unknown }[]) {
        const file = state.files.find((f) => f.id === entry.id);
        if (file === undefined || file.content === undefined) return fail('file_not_found');
        file.completed = true;
        if (typeof entry.title === 'string') file.title = entry.title;
        if (channel !== undefined) file.channel_id = channel;
        if (thread.root !== undefined) file.thread_ts = thread.root;
        done.push({ id: file.id, title: file.title ?? file.filename });
      }
      return ok({ files: done });
    },
  };

  function bearer(req: IncomingMessage, params: Params): string | undefined {
    const header = req.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer '))
      return header.slice('Bearer '.length);
    return str(params.token);
  }

  function authorize(method: string, token: string | undefined): Answer | undefined {
    if (token === undefined) return fail('not_authed');
    const expected = method === 'apps.connections.open' ? options.appToken : options.botToken;
    return token === expected ? undefined : fail('invalid_auth');
  }

  function inject(entry: Injected): { stop(): void } {
    injected.push(entry);
    return {
      stop: () => {
        entry.remaining = 0;
      },
    };
  }

  function injectedFor(method: string, params: Params): Answer | undefined {
    const hit = injected.find(
      (i) => i.method === method && i.remaining > 0 && (i.when?.(params) ?? true),
    );
    if (hit === undefined) return undefined;
    hit.remaining -= 1;
    return hit.answer;
  }

  async function api(method: string, req: IncomingMessage, raw: Buffer): Promise<Answer> {
    const params = parseParams(raw, req.headers['content-type']);
    if (params === undefined) return fail('invalid_form_data');
    const denied = authorize(method, bearer(req, params));
    const handler = methods[method];
    let answer = denied ?? injectedFor(method, params);
    if (answer === undefined) {
      await holds.find((h) => h.method === method)?.release;
      answer = handler === undefined ? fail('unknown_method') : handler(params);
    }
    const recorded = Object.fromEntries(Object.entries(params).filter(([key]) => key !== 'token'));
    state.record({
      kind: 'api',
      method,
      params: recorded,
      status: answer.status,
      response: answer.body,
    });
    return answer;
  }

  async function upload(id: string, req: IncomingMessage, raw: Buffer): Promise<Answer> {
    const file = state.files.find((f) => f.id === id);
    let content = raw;
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      // The SDK posts a multipart form with the bytes in the field `body`.
      const form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': type },
      }).formData();
      const body = form.get('body');
      content =
        body instanceof Blob
          ? Buffer.from(await body.arrayBuffer())
          : Buffer.from(String(body ?? ''));
    }
    state.record({ kind: 'upload', detail: id, status: file ? 200 : 404 });
    if (file === undefined) return { status: 404, body: {} };
    file.content = content.toString('utf8');
    file.bytesReceived = content.length;
    return { status: 200, body: {} };
  }

  return {
    async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const apiMethod = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
      const uploadId = /^\/upload\/(F\w+)$/.exec(url.pathname)?.[1];
      const respondId = /^\/respond\/(\w+)$/.exec(url.pathname)?.[1];
      if (req.method !== 'POST' || (apiMethod ?? uploadId ?? respondId) === undefined) return false;
      const raw = await readBody(req);
      let answer: Answer;
      if (apiMethod !== undefined) answer = await api(apiMethod, req, raw);
      else if (uploadId !== undefined) answer = await upload(uploadId, req, raw);
      else answer = respond(respondId ?? '', raw);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
      return true;
    },
    /** The next `count` calls of `method` (matching `when`) answer `{ok:false, error}`. */
    failNext(
      method: string,
      error: string,
      count = 1,
      when?: (params: Params) => boolean,
    ): { stop(): void } {
      return inject({ method, remaining: count, answer: fail(error), ...(when && { when }) });
    },
    /** The next `count` calls of `method` (matching `when`) answer a bare HTTP `status` (e.g. 500). */
    httpError(
      method: string,
      status: number,
      count = 1,
      when?: (params: Params) => boolean,
    ): { stop(): void } {
      return inject({
        method,
        remaining: count,
        answer: { status, body: { ok: false, error: 'internal_error' } },
        ...(when && { when }),
      });
    },
    /**
     * The next `count` calls of `method` answer HTTP 429 with `Retry-After: retryAfterSec`
     * (`Infinity`: until `stop()`).
     */
    rateLimit(method: string, retryAfterSec: number, count = 1): { stop(): void } {
      return inject({
        method,
        remaining: count,
        answer: {
          status: 429,
          body: { ok: false, error: 'ratelimited' },
          headers: { 'retry-after': String(retryAfterSec) },
        },
      });
    },
    /** Calls of `method` wait until `release` resolves (a slow Slack). */
    hold(method: string, release: Promise<void>): void {
      holds.push({ method, release });
    },
  };

  function respond(id: string, raw: Buffer): Answer {
    const uses = state.responses.filter((r) => r.id === id).length;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { ok: false, error: 'invalid_json' } };
    }
    // A response_url takes up to five posts within 30 minutes.
    if (uses >= 5) return { status: 404, body: { ok: false, error: 'used_up' } };
    state.responses.push({ id, body });
    state.record({ kind: 'respond', detail: id, params: body, status: 200 });
    return ok();
  }
}

export type WebApi = ReturnType<typeof createWebApi>;
