import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../core/ports/logger.js';
import type { ReadinessReport } from './readiness.js';
import { requestPath } from './request-path.js';

/** A route a chat adapter brings along (Slack HTTP mode: `POST /slack/events`). */
export interface HttpMount {
  readonly path: string;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

export interface BotHttpServerOptions {
  readonly readiness: () => Promise<ReadinessReport>;
  readonly metrics: () => Promise<{ readonly contentType: string; readonly body: string }>;
  readonly mounts?: readonly HttpMount[];
  readonly log: Logger;
}

export interface BotHttpServer {
  /** The request handler on its own, kept apart from `listen`. */
  readonly handler: RequestListener;
  /** Resolves with the bound address (port 0 picks a free one). */
  listen(port: number, host: string): Promise<AddressInfo>;
  mount(mount: HttpMount): void;
  /**
   * Intake stops: mounted routes answer 503 and every answer closes its connection, while
   * `/health`, `/health/ready` and `/metrics` go on answering until `close`.
   */
  drain(): void;
  /** Stops listening and closes every connection, idle or not. */
  close(): Promise<void>;
}

const OWN_ROUTES = new Set(['/health', '/health/ready', '/metrics']);

/**
 * How long and how much a client may take. The port may face the internet (Slack HTTP mode),
 * and what it serves is small and quick: health answers, Prometheus text, Slack deliveries of a
 * few kilobytes that Slack itself gives up on after 3 s. So the limits are tight enough that a
 * slow or idle client cannot hold a connection for long, and loose enough for a scraper or a
 * load balancer on a bad link.
 */
export const HTTP_LIMITS = {
  /** Node's default, stated: Slack's and probes' headers are a fraction of it; beyond → 431. */
  maxHeaderSize: 16 * 1024,
  /** The whole header block must arrive within this (slowloris trickling headers): 408. */
  headersTimeoutMs: 10_000,
  /** The whole request, body included (`/slack/events` bodies are capped at 1 MiB): 408. */
  requestTimeoutMs: 30_000,
  /** How often Node checks the two timeouts above; a stalled client outlives them by at most this. */
  connectionsCheckingIntervalMs: 1_000,
  /** An idle keep-alive connection is closed after this (above a load balancer's usual 4 s reuse). */
  keepAliveTimeoutMs: 5_000,
  /** A socket without any traffic either way (a client that stopped reading an answer). */
  socketIdleTimeoutMs: 30_000,
  /**
   * Connections beyond this are closed on arrival. The legitimate load is a few: Slack's
   * deliveries, a prober, a scraper. The cap keeps a flood from taking the file descriptors the
   * process needs for Redis, the Docker Engine and chat connections.
   */
  maxConnections: 512,
} as const;

const STATUS_LINES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** A complete answer written straight onto a socket the HTTP parser gave up on or handed over. */
function rawAnswer(status: number): string {
  return `HTTP/1.1 ${status} ${STATUS_LINES[status] ?? 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

/** What a request the parser refused deserves, by Node's error code. */
export function clientErrorStatus(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADERS_TIMEOUT') return 408;
  return 400;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'application/json; charset=utf-8',
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, `${JSON.stringify(value)}\n`);

/**
 * The bot's HTTP endpoints on `PORT`: `GET /health` (the process answers; no dependency is
 * asked), `GET /health/ready` (200 `{"status":"OK"}` or 503 `{"status":"UNAVAILABLE"}`, each
 * check listed), `GET /metrics` (Prometheus text), and whatever chat adapters mount.
 */
export function createHttpServer(options: BotHttpServerOptions): BotHttpServer {
  const mounts = new Map((options.mounts ?? []).map((m) => [m.path, m]));
  let draining = false;

  async function own(path: string, res: ServerResponse): Promise<void> {
    if (path === '/health') return json(res, 200, { status: 'OK' });
    if (path === '/health/ready') {
      const report = await options.readiness();
      return json(res, report.ready ? 200 : 503, {
        status: report.ready ? 'OK' : 'UNAVAILABLE',
        ...(report.stopping && { stopping: true }),
        checks: report.checks,
      });
    }
    const metrics = await options.metrics();
    return send(res, 200, metrics.body, metrics.contentType);
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    const path = requestPath(req.url);
    if (draining) res.setHeader('Connection', 'close');
    const fail = (error: unknown) => {
      options.log.error({ err: error, path }, 'HTTP handler failed');
      if (!res.headersSent) json(res, 500, { status: 'ERROR' });
      else res.destroy();
    };
    if (req.httpVersionMajor !== 1) {
      res.setHeader('Connection', 'close');
      return json(res, 505, { status: 'HTTP_VERSION_NOT_SUPPORTED' });
    }
    if (path === undefined) {
      res.setHeader('Connection', 'close');
      return json(res, 400, { status: 'BAD_REQUEST', reason: 'unusable request target' });
    }
    // Nothing here speaks another protocol: switching half-way would leave a socket no
    // handler owns, so an upgrade (websocket, h2c) is refused rather than ignored.
    if (req.headers.upgrade !== undefined && /\bupgrade\b/i.test(req.headers.connection ?? '')) {
      res.setHeader('Connection', 'close');
      return json(res, 400, { status: 'BAD_REQUEST', reason: 'protocol upgrades are not offered' });
    }
    if (OWN_ROUTES.has(path)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return json(res, 405, { status: 'METHOD_NOT_ALLOWED' });
      }
      own(path, res).catch(fail);
      return;
    }
    const mount = mounts.get(path);
    if (mount === undefined) return json(res, 404, { status: 'NOT_FOUND' });
    if (draining) {
      res.setHeader('Retry-After', '5');
      return json(res, 503, { status: 'UNAVAILABLE', reason: 'shutting down' });
    }
    try {
      mount.handle(req, res);
    } catch (error) {
      fail(error);
    }
  }

  /** The response each socket is answering: a parse error must not write into one. */
  const answering = new WeakMap<Duplex, ServerResponse>();

  /**
   * Total: whatever the request, the answer is a status code and the process carries on. A
   * throw that escapes a route (a bug) becomes a 500 here instead of an uncaught exception.
   */
  const handler: RequestListener = (req, res) => {
    answering.set(req.socket, res);
    res.once('finish', () => {
      if (answering.get(req.socket) === res) answering.delete(req.socket);
    });
    try {
      route(req, res);
    } catch (error) {
      options.log.error({ err: error }, 'HTTP handler failed');
      if (!res.headersSent) json(res, 500, { status: 'ERROR' });
      else res.destroy();
    }
  };

  const server = createServer(
    {
      maxHeaderSize: HTTP_LIMITS.maxHeaderSize,
      headersTimeout: HTTP_LIMITS.headersTimeoutMs,
      requestTimeout: HTTP_LIMITS.requestTimeoutMs,
      connectionsCheckingInterval: HTTP_LIMITS.connectionsCheckingIntervalMs,
      keepAliveTimeout: HTTP_LIMITS.keepAliveTimeoutMs,
    },
    handler,
  );
  server.maxConnections = HTTP_LIMITS.maxConnections;
  server.setTimeout(HTTP_LIMITS.socketIdleTimeoutMs, (socket) => socket.destroy());
  // Bytes the parser refuses (TLS on the plain port, a bad request line, oversized headers, a
  // timeout): answered with a bare status and closed, as Node does by default, but logged at
  // debug only, since anyone on the network can send them.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    options.log.debug({ code: error.code }, 'HTTP request refused by the parser');
    // An answer in the middle of another one would corrupt it: only before its first byte
    // or after its last.
    const inFlight = answering.get(socket);
    const between = inFlight === undefined || !inFlight.headersSent || inFlight.writableEnded;
    if (error.code !== 'ECONNRESET' && socket.writable && between)
      socket.write(rawAnswer(clientErrorStatus(error.code)));
    socket.destroy();
  });
  // CONNECT hands the raw socket over instead of calling the handler: nothing here tunnels,
  // so it is refused and closed. The error listener comes first, since an error on a socket
  // nobody listens to would end the process.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    socket.write(rawAnswer(405));
    socket.destroy();
  });

  return {
    handler,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    mount(mount) {
      mounts.set(mount.path, mount);
    },
    drain() {
      draining = true;
      server.closeIdleConnections();
    },
    close() {
      if (!server.listening) return Promise.resolve();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
