import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../../core/ports/logger.js';
import { parseStrictJson } from './socket-proxy-json.js';
import { parseUpdateQuery } from './socket-proxy-query.js';
import type { EngineGet, OwnService } from './socket-proxy-self.js';
import { decideUpdate, type InspectedService } from './socket-proxy-decision.js';
import type { SpecRules } from './socket-proxy-spec.js';

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

const API = String.raw`/v1\.41`;
const ID = String.raw`[A-Za-z0-9][A-Za-z0-9_.-]*`;
const READ = [
  `^(${API})?/_ping$`,
  `^${API}/version$`,
  `^${API}/services$`,
  `^${API}/services/${ID}$`,
  `^${API}/services/${ID}/logs$`,
  `^${API}/tasks$`,
  `^${API}/tasks/${ID}$`,
].map((source) => new RegExp(source));
const UPDATE = new RegExp(`^${API}/services/(${ID})/update$`);
/** Request headers a read passes on; the rest (auth, hop-by-hop, bodies) stays here. */
const READ_HEADERS = ['accept', 'user-agent'];

/** Paths the Engine would clean or decode into something else are refused before any match. */
function splitTarget(url: string): { path: string; query: string } | undefined {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  if (!path.startsWith('/') || /\/\/|\\|%|#|(^|\/)\.\.?(\/|$)/.test(path)) return undefined;
  return { path, query: at < 0 ? '' : url.slice(at + 1) };
}

class BodyTooLarge extends Error {}

/** The body, or BodyTooLarge past the limit; rejects when the client goes away before the end. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      reject(new BodyTooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client went away before the body ended'));
    });
  });
}

/** The answer Node itself gives to bytes that are no HTTP request, then the connection ends. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * A least-privilege Docker Engine API proxy that allows exactly what tas-chatops calls:
 * GET/HEAD of `_ping`, `version`, services (list, inspect, logs) and tasks (list, inspect),
 * and `POST /v1.41/services/{id}/update?version=N[&rollback=previous]` only when the new spec
 * (for a rollback: the service's PreviousSpec) differs from the current one in what the bot
 * changes. The update goes on as the proxy's own serialisation of the object it checked, to
 * the service ID it inspected, at the version it inspected, with only the headers it chose.
 * Everything else is 403: create, delete, exec, containers, secrets, configs, networks, nodes,
 * swarm, images, volumes, plugins and connection upgrades. A per-section proxy (Tecnativa's)
 * also allows `POST /services/create` and `DELETE /services/{id}` once it allows updates.
 */
export function createSocketProxy(options: SocketProxyOptions): Server {
  const { log, socketPath } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const own = options.ownService ?? { ids: [], names: [] };

  function refuse(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    message: string,
  ): void {
    // The whole target (headers are capped at 16 KiB): the logger redacts it, and a cut made
    // first could leave half a credential that no pattern recognises.
    log.warn({ method: req.method, url: req.url, status }, message);
    if (res.headersSent || res.destroyed) return void res.destroy();
    // An unread body would be read and thrown away; closing is cheaper and ends any trick.
    if (!req.complete) res.setHeader('Connection', 'close');
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(`${JSON.stringify({ message: `tas-chatops socket proxy: ${message}` })}\n`);
  }

  /** Sends a request to the Engine and pipes its answer back as it comes (logs may follow). */
  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    headers: Record<string, string>,
    body?: Buffer,
  ): void {
    const upstream = request(
      { socketPath, method: req.method ?? 'GET', path, headers: { ...headers, host: 'docker' } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent)
        refuse(req, res, 502, `the Engine at ${socketPath} is unreachable (${error.message})`);
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    upstream.end(body);
  }

  function forwardRead(req: IncomingMessage, res: ServerResponse): void {
    const headers: Record<string, string> = {};
    for (const name of READ_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    forward(req, res, req.url ?? '/', headers);
  }

  const engineGet: EngineGet = (path) => engineJson(socketPath, path);

  async function update(
    req: IncomingMessage,
    res: ServerResponse,
    service: string,
    query: string,
  ): Promise<void> {
    const parsedQuery = parseUpdateQuery(query);
    if (!parsedQuery.ok) return refuse(req, res, 403, parsedQuery.reason);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxBodyBytes)
      return refuse(req, res, 413, `the update body is larger than ${limits.maxBodyBytes} bytes`);
    let body: Buffer;
    try {
      body = await readBody(req, limits.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge)
        return refuse(req, res, 413, `the update body is larger than ${limits.maxBodyBytes} bytes`);
      return refuse(req, res, 400, 'the update body ended early');
    }
    const parsed = parseStrictJson(body);
    if (!parsed.ok) return refuse(req, res, 400, `the update body is refused: ${parsed.reason}`);
    const current = await engineGet(`/v1.41/services/${encodeURIComponent(service)}`);
    if (current.status !== 200) {
      res.writeHead(current.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(current.json));
      return;
    }
    const rules = { ...options, ownService: own };
    const decision = decideUpdate(
      current.json as InspectedService,
      parsed.value,
      parsedQuery,
      rules,
    );
    if (!decision.ok) return refuse(req, res, decision.status, decision.reason);
    const { id, version } = decision;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const auth = req.headers['x-registry-auth'];
    if (options.forwardRegistryAuth === true && typeof auth === 'string')
      headers['x-registry-auth'] = auth;
    const out = Buffer.from(JSON.stringify(parsed.value), 'utf8');
    headers['content-length'] = String(out.length);
    log.info({ service: id, version, rollback: parsedQuery.rollback }, 'service update allowed');
    const path = `/v1.41/services/${encodeURIComponent(id)}/update?version=${version}${parsedQuery.rollback ? '&rollback=previous' : ''}`;
    forward(req, res, path, headers, out);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? '';
    const target = splitTarget(req.url ?? '');
    if (target === undefined)
      return refuse(
        req,
        res,
        403,
        `${method} ${(req.url ?? '').slice(0, 200)} is not a plain API path`,
      );
    if (req.headers.upgrade !== undefined)
      return refuse(req, res, 403, 'connection upgrades (attach, exec) are not allowed');
    if (
      (method === 'GET' || method === 'HEAD') &&
      READ.some((pattern) => pattern.test(target.path))
    )
      return forwardRead(req, res);
    const service = method === 'POST' ? UPDATE.exec(target.path)?.[1] : undefined;
    if (service === undefined)
      return refuse(req, res, 403, `${method} ${target.path} is not allowed`);
    update(req, res, service, target.query).catch((error: unknown) => {
      log.error({ err: error }, 'update check failed');
      refuse(req, res, 502, 'could not check the update against the Engine');
    });
  }

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
        handle(req, res);
      } catch (error) {
        log.error({ err: error }, 'socket proxy handler failed');
        refuse(req, res, 500, 'internal error');
      }
    },
  );
  server.on('clientError', answerClientError);
  // CONNECT skips the request handler; without this listener Node drops the socket unanswered.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    log.warn({ method: req.method, url: req.url, status: 403 }, 'CONNECT refused');
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return server;
}

/** GET on the Engine's socket for the proxy's own checks; the answer is the Engine's, trusted. */
export function engineJson(
  socketPath: string,
  path: string,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const inspect = request(
      { socketPath, method: 'GET', path, headers: { host: 'docker' } },
      (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (text += chunk));
        answer.on('end', () => {
          try {
            resolve({
              status: answer.statusCode ?? 502,
              json: text === '' ? {} : JSON.parse(text),
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        answer.on('error', reject);
      },
    );
    // A stalled Engine must not hold a checked update (or the proxy's start) forever.
    inspect.setTimeout(10_000, () =>
      inspect.destroy(new Error(`the Engine did not answer GET ${path} within 10 s`)),
    );
    inspect.on('error', reject);
    inspect.end();
  });
}
