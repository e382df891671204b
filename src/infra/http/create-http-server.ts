import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/ports/logger.js';
import type { ReadinessReport } from './readiness.js';

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

  const handler: RequestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (draining) res.setHeader('Connection', 'close');
    const fail = (error: unknown) => {
      options.log.error({ err: error, path }, 'HTTP handler failed');
      if (!res.headersSent) json(res, 500, { status: 'ERROR' });
      else res.destroy();
    };
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
  };

  const server = createServer(handler);
  server.keepAliveTimeout = 5000;
  server.on('clientError', (_error, socket) => socket.destroy());

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
