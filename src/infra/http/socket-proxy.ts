import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../../core/ports/logger.js';
import { clientErrorStatus, rawAnswer } from './raw-answer.js';
import { forwardRead, refuse } from './socket-proxy-forward.js';
import { READ_PATHS, splitTarget, UPDATE_PATH } from './socket-proxy-routes.js';
import type { OwnService } from './socket-proxy-self.js';
import type { SpecRules } from './socket-proxy-spec.js';
import { checkedUpdate, type UpdateRules } from './socket-proxy-update.js';

export interface SocketProxyOptions extends SpecRules {
  /** The Engine's unix socket. */
  readonly socketPath: string;
  /** The proxy's own service (found at startup): never updated through the proxy. */
  readonly ownService?: OwnService;
  /** Pass `X-Registry-Auth` of an update on; off, the header is dropped. */
  readonly forwardRegistryAuth?: boolean;
  /** Server limits; the defaults suit production, tests shorten them. */
  readonly limits?: Partial<ProxyLimits>;
  readonly log: Logger;
}

export interface ProxyLimits {
  readonly headersTimeoutMs: number;
  /** Receiving a whole request; answers (a followed log stream) are not bounded by it. */
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxHeaderBytes: number;
  readonly maxBodyBytes: number;
}

const DEFAULT_LIMITS: ProxyLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16 * 1024,
  maxBodyBytes: 2 * 1024 * 1024,
};

/**
 * A least-privilege Docker Engine API proxy that allows exactly what tas-chatops calls:
 * GET/HEAD of `_ping`, `version`, services (list, inspect, logs) and tasks (list, inspect),
 * and `POST /v1.41/services/{id}/update?version=N` only when the new spec differs from the
 * current one in what the bot changes; `rollback=previous` is refused, as the bot rolls back by
 * an ordinary update to an explicit image. The update goes on as the proxy's own serialisation
 * of the object it checked, to the service ID it inspected, at the version it inspected, with
 * only the headers it chose.
 * Everything else is 403: create, delete, exec, containers, secrets, configs, networks, nodes,
 * swarm, images, volumes, plugins and connection upgrades. A per-section proxy (Tecnativa's)
 * also allows `POST /services/create` and `DELETE /services/{id}` once it allows updates.
 */
export function createSocketProxy(options: SocketProxyOptions): Server {
  const { log } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const rules: UpdateRules = {
    ...options,
    ownService: options.ownService ?? { ids: [], names: [] },
    maxBodyBytes: limits.maxBodyBytes,
  };
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req, res) => {
      try {
        route(rules, req, res);
      } catch (error) {
        log.error({ err: error }, 'socket proxy handler failed');
        refuse(log, req, res, 500, 'internal error');
      }
    },
  );
  server.on('clientError', answerClientError);
  // CONNECT skips the request handler; without this listener Node drops the socket unanswered.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    log.warn({ method: req.method, url: req.url, status: 403 }, 'CONNECT refused');
    socket.end(rawAnswer(403));
  });
  return server;
}

/** A read goes on, a checked update goes on after its checks, everything else is 403. */
function route(rules: UpdateRules, req: IncomingMessage, res: ServerResponse): void {
  const { log } = rules;
  const method = req.method ?? '';
  const target = splitTarget(req.url ?? '');
  if (target === undefined) {
    const url = (req.url ?? '').slice(0, 200);
    return refuse(log, req, res, 403, `${method} ${url} is not a plain API path`);
  }
  if (req.headers.upgrade !== undefined)
    return refuse(log, req, res, 403, 'connection upgrades (attach, exec) are not allowed');
  if ((method === 'GET' || method === 'HEAD') && READ_PATHS.some((p) => p.test(target.path)))
    return forwardRead(rules, req, res);
  const service = method === 'POST' ? UPDATE_PATH.exec(target.path)?.[1] : undefined;
  if (service === undefined)
    return refuse(log, req, res, 403, `${method} ${target.path} is not allowed`);
  checkedUpdate(rules, req, res, service, target.query).catch((error: unknown) => {
    log.error({ err: error }, 'update check failed');
    refuse(log, req, res, 502, 'could not check the update against the Engine');
  });
}

/** The answer Node itself gives to bytes that are no HTTP request, then the connection ends. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  socket.end(rawAnswer(clientErrorStatus(error.code)));
}
