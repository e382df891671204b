import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Logger } from '../../core/ports/logger.js';

export interface SocketProxyOptions {
  /** The Engine's unix socket. */
  readonly socketPath: string;
  /** Service name prefixes that may be updated (`prod_`); empty: any service. */
  readonly updatePrefixes?: readonly string[];
  /** Let an update switch to another image repository, not only another tag. */
  readonly allowRepositoryChange?: boolean;
  readonly log: Logger;
}

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
const MAX_BODY = 2 * 1024 * 1024;

type Json = Record<string, unknown>;
interface Spec {
  Name?: string;
  TaskTemplate?: { ForceUpdate?: number; ContainerSpec?: { Image?: string } };
  Mode?: { Replicated?: { Replicas?: number } };
}

/** Paths the Engine would clean or decode into something else are refused before any match. */
function cleanPath(url: string): string | undefined {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith('/') || /\/\/|\\|%|(^|\/)\.\.?(\/|$)/.test(path)) return undefined;
  return path;
}

/** `registry:5000/team/app:5.15@sha256:…` → `registry:5000/team/app`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? '';
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Json;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, canonical(object[key])]),
  );
}

/** The spec without the three fields the bot changes. */
function withoutBotFields(spec: Spec): unknown {
  const copy = structuredClone(spec);
  if (copy.TaskTemplate) {
    delete copy.TaskTemplate.ForceUpdate;
    if (copy.TaskTemplate.ContainerSpec) delete copy.TaskTemplate.ContainerSpec.Image;
  }
  if (copy.Mode?.Replicated) delete copy.Mode.Replicated.Replicas;
  return canonical(copy);
}

/**
 * Why `next` may not replace `current`, or undefined when it changes only what the bot
 * changes: ForceUpdate (restart), the replica count (scale, stop, start) or the image tag
 * (rollback to a tag). `rollback=previous` sends the current spec unchanged.
 */
export function refuseSpec(
  current: Spec,
  next: Spec,
  options: Pick<SocketProxyOptions, 'updatePrefixes' | 'allowRepositoryChange'>,
): string | undefined {
  const prefixes = options.updatePrefixes ?? [];
  const name = current.Name ?? '';
  if (prefixes.length > 0 && !prefixes.some((prefix) => name.startsWith(prefix))) {
    return `service ${name} is outside the allowed prefixes (${prefixes.join(', ')})`;
  }
  const before = current.TaskTemplate?.ContainerSpec?.Image ?? '';
  const after = next.TaskTemplate?.ContainerSpec?.Image ?? '';
  if (
    options.allowRepositoryChange !== true &&
    imageRepository(before) !== imageRepository(after)
  ) {
    return `the update would switch the image repository (${imageRepository(before)} → ${imageRepository(after)})`;
  }
  if (JSON.stringify(withoutBotFields(current)) !== JSON.stringify(withoutBotFields(next))) {
    return 'the update changes more than ForceUpdate, the replica count or the image tag';
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A least-privilege Docker Engine API proxy that allows exactly what tas-chatops calls:
 * GET/HEAD of `_ping`, `version`, services (list, inspect, logs) and tasks (list, inspect),
 * and `POST /v1.41/services/{id}/update` only when the new spec differs from the current one
 * in what the bot changes. Everything else is 403: create, delete, exec, containers, secrets,
 * configs, networks, nodes, swarm, images, volumes, plugins and connection upgrades. A
 * per-section proxy (Tecnativa's) also allows `POST /services/create` and `DELETE
 * /services/{id}` once it allows updates (shared/reference/PROTOCOLS.md §3.7).
 */
export function createSocketProxy(options: SocketProxyOptions): Server {
  const { log, socketPath } = options;

  function refuse(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    message: string,
  ): void {
    log.warn({ method: req.method, url: req.url, status }, message);
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(`${JSON.stringify({ message: `tas-chatops socket proxy: ${message}` })}\n`);
  }

  /** Sends the request on to the Engine and pipes its answer back as it comes (logs may follow). */
  function forward(req: IncomingMessage, res: ServerResponse, body?: Buffer): void {
    const headers = {
      ...req.headers,
      host: 'docker',
      ...(body !== undefined && { 'content-length': String(body.length) }),
    };
    const upstream = request(
      { socketPath, method: req.method ?? 'GET', path: req.url ?? '/', headers },
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
    if (body !== undefined) upstream.end(body);
    else req.pipe(upstream);
  }

  function engineJson(path: string): Promise<{ status: number; json: unknown }> {
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
        },
      );
      inspect.on('error', reject);
      inspect.end();
    });
  }

  async function update(req: IncomingMessage, res: ServerResponse, service: string): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return refuse(req, res, 413, 'the update body is too large');
    }
    let next: Spec;
    try {
      next = JSON.parse(body.toString('utf8')) as Spec;
    } catch {
      return refuse(req, res, 400, 'the update body is not JSON');
    }
    const current = await engineJson(`/v1.41/services/${encodeURIComponent(service)}`);
    if (current.status !== 200) {
      res.writeHead(current.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(current.json));
      return;
    }
    const spec = ((current.json as { Spec?: Spec }).Spec ?? {}) satisfies Spec;
    const why = refuseSpec(spec, next ?? {}, options);
    if (why !== undefined) return refuse(req, res, 403, why);
    log.info({ service: spec.Name, url: req.url }, 'service update allowed');
    forward(req, res, body);
  }

  const server = createServer((req, res) => {
    const method = req.method ?? '';
    const path = cleanPath(req.url ?? '');
    if (path === undefined)
      return refuse(req, res, 403, `${method} ${req.url ?? ''} is not a plain API path`);
    if (req.headers.upgrade !== undefined)
      return refuse(req, res, 403, 'connection upgrades (attach, exec) are not allowed');
    if ((method === 'GET' || method === 'HEAD') && READ.some((pattern) => pattern.test(path)))
      return forward(req, res);
    const service = method === 'POST' ? UPDATE.exec(path)?.[1] : undefined;
    if (service === undefined) return refuse(req, res, 403, `${method} ${path} is not allowed`);
    update(req, res, service).catch((error: unknown) => {
      log.error({ err: error }, 'update check failed');
      if (!res.headersSent) refuse(req, res, 502, 'could not check the update against the Engine');
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  return server;
}
