import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestId, type Answer } from './app-error.js';
import { createIntegrations, type SlashCommandSetup } from './integrations.js';
import {
  createMattermostState,
  newId,
  type StandInChannel,
  type StandInUser,
  type StoredEphemeral,
  type StoredFile,
  type StoredPost,
} from './mattermost-state.js';
import { mentionTexts, notifyingMentions, type MentionDirectory } from './mentions.js';
import { createRestApi } from './rest-api.js';

export interface MattermostStandInOptions {
  /** The bot account's personal access token. */
  readonly botToken: string;
  readonly bot: StandInUser;
  readonly users: readonly StandInUser[];
  /** Channels the bot is a member of; posting elsewhere is refused with 403. */
  readonly channels: readonly StandInChannel[];
  readonly command: Omit<SlashCommandSetup, 'url'> & { url?: () => string };
  /** Group names (`@developers`) that would notify their members. */
  readonly groups?: readonly string[];
  readonly maxPostSize?: number;
  readonly maxFileSize?: number;
  /** The bot holds `create_post_ephemeral` (a system admin); a plain bot account does not. */
  readonly canPostEphemeral?: boolean;
}

/** `X-Version-Id` as a 9.11 (ESR) server sends it: version, build number, config hash, licensed. */
const VERSION = '9.11.0.standin.0.false';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function write(res: ServerResponse, answer: Answer): void {
  const isText = typeof answer.body === 'string';
  const isBytes = Buffer.isBuffer(answer.body);
  res.writeHead(answer.status, {
    // Exactly `application/json`: @mattermost/client reads JSON only on that exact value.
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
    'x-request-id': requestId(),
    'x-version-id': VERSION,
    ...answer.headers,
  });
  res.end(isText || isBytes ? answer.body : JSON.stringify(answer.body));
}

/**
 * A local Mattermost server for the test suite, on 127.0.0.1, written from the REST API v4
 * documentation and the server's behaviour: posts, threads, ephemerals, files, users and
 * channels for a bot token; slash commands and button clicks sent to the bot as the server
 * sends them, with `response_url`s. Node built-ins only; it shares no code with the adapter and
 * records everything it receives.
 */
export async function startMattermostStandIn(options: MattermostStandInOptions) {
  const state = createMattermostState();
  const users = [options.bot, ...options.users];
  const team = { id: newId(), name: 'standin' };
  let origin = '';
  let commandUrl = options.command.url ?? (() => '');
  const ctx = {
    state,
    botId: options.bot.id,
    botToken: options.botToken,
    users,
    channels: options.channels,
    team,
    maxPostSize: options.maxPostSize ?? 16383,
    maxFileSize: options.maxFileSize ?? 100 * 1024 * 1024,
    canPostEphemeral: options.canPostEphemeral ?? false,
  };
  const rest = createRestApi(ctx);
  const integrations = createIntegrations({
    ...ctx,
    command: { ...options.command, url: () => commandUrl() },
    origin: () => origin,
  });
  const server: Server = createServer((req, res) => {
    handle(req)
      .then((answer) => write(res, answer))
      .catch((error: unknown) => write(res, { status: 500, body: String(error) }));
  });

  async function handle(req: IncomingMessage): Promise<Answer> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/api/v4/')) {
      const answer = await rest.handle(req, url, raw);
      const body = (req.headers['content-type'] ?? '').startsWith('application/json')
        ? raw.toString('utf8')
        : `${raw.length} bytes`;
      state.record({
        kind: 'api',
        route: `${req.method ?? ''} ${url.pathname}`,
        body,
        status: answer.status,
        response: answer.body,
      });
      return answer;
    }
    const hook = /^\/hooks\/commands\/([a-z0-9]+)$/.exec(url.pathname)?.[1];
    if (hook !== undefined && req.method === 'POST')
      return integrations.respond(hook, req.headers['content-type'] ?? '', raw.toString('utf8'));
    return { status: 404, body: '404 page not found\n' };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const directory: MentionDirectory = {
    usernames: new Set(users.map((u) => u.username.toLowerCase())),
    groups: new Set((options.groups ?? []).map((g) => g.toLowerCase())),
    channelNames: new Set(options.channels.map((c) => c.name.toLowerCase())),
  };

  async function waitFor<T>(
    what: string,
    find: () => T | undefined,
    timeoutMs = 90_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(
          `the Mattermost stand-in saw no ${what} within ${timeoutMs} ms; saw: ${state.events.map((e) => e.route ?? e.kind).join(', ')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  return {
    /** `MATTERMOST_URL` for the bot (the site URL; the API is under `/api/v4`). */
    url: origin,
    state,
    team,
    rest,
    /** Where `slash` sends commands: the bot's command URL, once it listens. */
    setCommandUrl(url: string): void {
      commandUrl = () => url;
    },
    slash: integrations.slash,
    resendCommand: integrations.resendCommand,
    click: integrations.click,
    replay: integrations.replay,
    /** Root posts and replies of a channel, oldest first. */
    postsIn(channelId: string): StoredPost[] {
      return state.posts.filter((p) => p.channel_id === channelId);
    },
    /** Replies in the thread of `rootId` (the root not included) and the files attached to them. */
    thread(rootId: string): { posts: StoredPost[]; files: StoredFile[] } {
      const posts = state.posts.filter((p) => p.root_id === rootId);
      return { posts, files: state.files.filter((f) => posts.some((p) => p.id === f.post_id)) };
    },
    ephemeralsFor(userId: string): StoredEphemeral[] {
      return state.ephemerals.filter((e) => e.user_id === userId);
    },
    post(id: string): StoredPost | undefined {
      return state.posts.find((p) => p.id === id);
    },
    /** REST calls of one route, e.g. `PUT /api/v4/posts/<id>/patch` or a pattern. */
    calls(route: string | RegExp) {
      return state.events.filter(
        (e) =>
          e.kind === 'api' &&
          (typeof route === 'string' ? e.route === route : route.test(e.route ?? '')),
      );
    },
    waitFor,
    /**
     * Mentions that would notify someone (or link a channel) in anything the bot made the
     * server show: posts with every earlier version, ephemerals and command answers. Ephemerals
     * notify nobody today, but the same text reaches posts elsewhere, so it must be neutral too.
     */
    mentionProblems(): string[] {
      const shown = [
        ...state.posts.flatMap((p) => [p, ...p.history].map((v) => ({ where: `post ${p.id}`, v }))),
        ...state.ephemerals.map((e) => ({ where: `ephemeral ${e.id}`, v: e })),
      ];
      return shown.flatMap(({ where, v }) =>
        mentionTexts(v).flatMap((text) =>
          notifyingMentions(text, directory).map(
            (m) => `${where}: ${m} in ${JSON.stringify(text.slice(0, 200))}`,
          ),
        ),
      );
    },
    /** REST calls the server refused for the post size limit. */
    sizeRejections() {
      return state.events.filter((e) =>
        JSON.stringify(e.response ?? '').includes('message_length'),
      );
    },
    note(detail: string): void {
      state.record({ kind: 'note', detail });
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type MattermostStandIn = Awaited<ReturnType<typeof startMattermostStandIn>>;
