import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../core/ports/logger.js';
import { HTTP_LIMITS } from './http-limits.js';
import { clientErrorStatus, rawAnswer } from './raw-answer.js';
import type { ReadinessReport } from './readiness.js';
import { requestPath } from './request-path.js';
import { json, send } from './send-answer.js';

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
 * The bot's HTTP endpoints on `PORT`: `GET /health` (the process answers; no dependency is
 * asked), `GET /health/ready` (200 `{"status":"OK"}` or 503 `{"status":"UNAVAILABLE"}`, each
 * check listed), `GET /metrics` (Prometheus text), and whatever chat adapters mount.
 */
export function createHttpServer(options: BotHttpServerOptions): BotHttpServer {
  const routes: Routes = {
    options,
    mounts: new Map((options.mounts ?? []).map((m) => [m.path, m])),
    draining: false,
  };
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
      route(routes, req, res);
    } catch (error) {
      failed(options.log, res)(error);
    }
  };
  const server = limitedServer(handler, answering, options.log);
  return {
    handler,
    listen: (port, host) => listen(server, port, host),
    mount(mount) {
      routes.mounts.set(mount.path, mount);
    },
    drain() {
      routes.draining = true;
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

/** What routing reads: the bot's own routes, the mounted ones, and whether intake has stopped. */
interface Routes {
  readonly options: BotHttpServerOptions;
  readonly mounts: Map<string, HttpMount>;
  draining: boolean;
}

/** A 500 while the answer has not started; a cut connection once it has. */
const failed =
  (log: Logger, res: ServerResponse, path?: string) =>
  (error: unknown): void => {
    log.error({ err: error, ...(path !== undefined && { path }) }, 'HTTP handler failed');
    if (!res.headersSent) json(res, 500, { status: 'ERROR' });
    else res.destroy();
  };

function route(routes: Routes, req: IncomingMessage, res: ServerResponse): void {
  const path = requestPath(req.url);
  if (routes.draining) res.setHeader('Connection', 'close');
  const refusal = refusalOf(req, path);
  if (refusal !== undefined) {
    res.setHeader('Connection', 'close');
    return json(res, refusal.status, refusal.body);
  }
  if (path === undefined) return;
  if (OWN_ROUTES.has(path)) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return json(res, 405, { status: 'METHOD_NOT_ALLOWED' });
    }
    own(routes.options, path, res).catch(failed(routes.options.log, res, path));
    return;
  }
  const mount = routes.mounts.get(path);
  if (mount === undefined) return json(res, 404, { status: 'NOT_FOUND' });
  if (routes.draining) {
    res.setHeader('Retry-After', '5');
    return json(res, 503, { status: 'UNAVAILABLE', reason: 'shutting down' });
  }
  try {
    mount.handle(req, res);
  } catch (error) {
    failed(routes.options.log, res, path)(error);
  }
}

/** A request no route may see: not HTTP/1, no usable target, or asking to switch protocols. */
function refusalOf(
  req: IncomingMessage,
  path: string | undefined,
): { status: number; body: object } | undefined {
  if (req.httpVersionMajor !== 1)
    return { status: 505, body: { status: 'HTTP_VERSION_NOT_SUPPORTED' } };
  if (path === undefined)
    return { status: 400, body: { status: 'BAD_REQUEST', reason: 'unusable request target' } };
  // Nothing here speaks another protocol: switching half-way would leave a socket no
  // handler owns, so an upgrade (websocket, h2c) is refused rather than ignored.
  if (req.headers.upgrade !== undefined && /\bupgrade\b/i.test(req.headers.connection ?? ''))
    return {
      status: 400,
      body: { status: 'BAD_REQUEST', reason: 'protocol upgrades are not offered' },
    };
  return undefined;
}

async function own(
  options: BotHttpServerOptions,
  path: string,
  res: ServerResponse,
): Promise<void> {
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

/** The node:http server with the limits of `HTTP_LIMITS` and raw answers for what it refuses. */
function limitedServer(
  handler: RequestListener,
  answering: WeakMap<Duplex, ServerResponse>,
  log: Logger,
): Server {
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
    log.debug({ code: error.code }, 'HTTP request refused by the parser');
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
  return server;
}

/** Resolves with the bound address once listening; rejects if the port cannot be bound. */
function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
