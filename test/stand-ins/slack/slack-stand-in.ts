import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createSlackState,
  type StandInEvent,
  type StoredEphemeral,
  type StoredFile,
  type StoredMessage,
} from './slack-state.js';
import { createSocketModeServer } from './socket-mode-server.js';
import { unescapedMentions } from './validate-blocks.js';
import { createWebApi } from './web-api.js';

export interface SlackStandInOptions {
  readonly botToken: string;
  readonly appToken: string;
}

const SIZE_ERRORS = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
]);

/**
 * A local Slack for the test suite, on 127.0.0.1: the Web API the bot calls
 * (`SLACK_API_URL`), file uploads, response URLs and the Socket Mode WebSocket. Node built-ins
 * and `ws` only; it shares no code with the adapter. It records everything it receives.
 */
export async function startSlackStandIn(options: SlackStandInOptions) {
  const state = createSlackState();
  let origin = '';
  const web = createWebApi(state, {
    botToken: options.botToken,
    appToken: options.appToken,
    origin: () => origin,
  });
  const socket = createSocketModeServer(state);
  const server: Server = createServer((req, res) => {
    web
      .handle(req, res)
      .then((handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end();
        }
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  server.on('upgrade', (req, sock, head) => {
    if (!socket.upgrade(req, sock, head)) sock.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let responseUrls = 0;

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
          `the Slack stand-in saw no ${what} within ${timeoutMs} ms; calls: ${state.events.map((e) => e.method ?? e.kind).join(', ')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  return {
    /** `SLACK_API_URL` for the bot. */
    apiUrl: `${origin}/api/`,
    origin,
    ...state,
    state,
    web,
    socket,
    /** A fresh `response_url` for a command or click. */
    newResponseUrl(): string {
      responseUrls += 1;
      return `${origin}/respond/${responseUrls}`;
    },
    /** Web API calls of one method, in order. */
    calls(method: string): StandInEvent[] {
      return state.events.filter((e) => e.kind === 'api' && e.method === method);
    },
    /** Messages and files in the thread of `ts` (the parent not included). */
    thread(channel: string, ts: string): { messages: StoredMessage[]; files: StoredFile[] } {
      return {
        messages: state.messages.filter((m) => m.channel === channel && m.thread_ts === ts),
        files: state.files.filter(
          (f) => f.channel_id === channel && f.thread_ts === ts && f.completed,
        ),
      };
    },
    ephemeralsFor(user: string): StoredEphemeral[] {
      return state.ephemerals.filter((e) => e.user === user);
    },
    waitFor,
    /** Unescaped `<!…>`, `<@…>`, `<#…>` in anything the bot posted, updated or responded. */
    mentionProblems(): string[] {
      const all = [
        ...state.messages.flatMap((m) => [m, ...m.history]),
        ...state.ephemerals,
        ...state.responses.map((r) => r.body),
      ];
      return all.flatMap((m) => unescapedMentions(m));
    },
    /** Calls Slack refused for their size or shape. */
    sizeRejections(): StandInEvent[] {
      return state.events.filter(
        (e) =>
          e.kind === 'api' &&
          SIZE_ERRORS.has(String((e.response as { error?: unknown } | undefined)?.error)),
      );
    },
    /** Calls whose `text` Slack would have truncated (over 40,000 characters). */
    truncations(): StandInEvent[] {
      return state.events.filter((e) =>
        JSON.stringify(e.response ?? {}).includes('message_truncated'),
      );
    },
    note(detail: string): void {
      state.record({ kind: 'note', detail });
    },
    async close(): Promise<void> {
      socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SlackStandIn = Awaited<ReturnType<typeof startSlackStandIn>>;
