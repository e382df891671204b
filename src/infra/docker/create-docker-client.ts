import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { inspect } from 'node:util';
import Docker from 'dockerode';

/** Where and how patiently to talk to the Engine; mirrors the `docker` block of an environment. */
export interface DockerClientOptions {
  /** `unix:///var/run/docker.sock`, `tcp://host:2375`, `http://host:2375` or `https://host:2376`. */
  readonly host: string;
  /** A request whose socket stays silent this long is abandoned. */
  readonly timeoutMs: number;
  /** Give up connecting after this long; defaults to the shorter of 3 s and `timeoutMs`. */
  readonly connectTimeoutMs?: number;
}

type DockerTarget =
  | { readonly kind: 'unix'; readonly socketPath: string }
  | {
      readonly kind: 'tcp';
      readonly protocol: 'http' | 'https';
      readonly host: string;
      readonly port: number;
    };

/** The Engine API version every request is pinned to (Docker Engine 20.10). */
export const DOCKER_API_VERSION = 'v1.41';

/** `unix:///path` → socket path; `tcp://h:p` / `http://h:p` → plain HTTP; `https://h:p` → TLS. */
export function parseDockerHost(host: string): DockerTarget {
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new Error(`"${host}": expected unix:///absolute/path`);
    return { kind: 'unix', socketPath };
  }
  const match = /^(tcp|http|https):\/\/([^/:]+|\[[^\]]+\]):(\d+)\/?$/.exec(host);
  if (!match) throw new Error(`"${host}": expected unix:///path/to/docker.sock or tcp://host:port`);
  const [, scheme, hostname = '', port = ''] = match;
  return {
    kind: 'tcp',
    protocol: scheme === 'https' ? 'https' : 'http',
    host: hostname.replace(/^\[|\]$/g, ''),
    port: Number(port),
  };
}

/**
 * A dockerode client for one Engine, pinned to API v1.41.
 *
 * docker-modem merges `DOCKER_HOST`, `DOCKER_CERT_PATH` and friends from `process.env` *under*
 * the options it is given, so every connection field is named here (undefined included): the
 * validated config decides where the bot connects, not the ambient environment.
 */
export function createDockerClient(options: DockerClientOptions): Docker {
  const target = parseDockerHost(options.host);
  const connectTimeoutMs = options.connectTimeoutMs ?? Math.min(3000, options.timeoutMs);
  const secure = target.kind === 'tcp' && target.protocol === 'https';
  const agent = withShortInspect(
    withConnectTimeout(
      secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true }),
      connectTimeoutMs,
    ),
  );
  const connection =
    target.kind === 'unix'
      ? {
          socketPath: target.socketPath,
          host: undefined,
          port: undefined,
          protocol: 'http' as const,
        }
      : { socketPath: undefined, host: target.host, port: target.port, protocol: target.protocol };
  // `agent` is a docker-modem option that @types/dockerode does not declare.
  const dockerOptions: Docker.DockerOptions & { agent: http.Agent } = {
    ...connection,
    ca: undefined,
    cert: undefined,
    key: undefined,
    version: DOCKER_API_VERSION,
    timeout: options.timeoutMs,
    agent,
  };
  return new Docker(dockerOptions);
}

/**
 * docker-modem's own `connectionTimeout` waits for the *response* (it listens for the request's
 * `connect` event, which only fires for HTTP CONNECT) and then fails as a bare "socket hang up";
 * this agent instead fails a socket that has not connected in time with a real ETIMEDOUT.
 */
function withConnectTimeout<A extends http.Agent>(agent: A, timeoutMs: number): A {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = create(options, callback);
    if (socket instanceof net.Socket && socket.connecting) {
      const where = options.socketPath ?? `${options.host ?? 'localhost'}:${String(options.port)}`;
      const timer = setTimeout(() => {
        const error = Object.assign(new Error(`connect ETIMEDOUT ${where}`), { code: 'ETIMEDOUT' });
        socket.destroy(error);
      }, timeoutMs);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    }
    return socket;
  };
  return agent;
}

/**
 * docker-modem formats every request's options with `util.inspect(…, { showHidden: true, depth:
 * null })` for its debug log, whether that log is on or not. The options hold this agent, and
 * walking it (its sockets, their parsers and handles) costs about 0.25 ms of CPU per request,
 * more than the rest of the client's work; a one-word form stops the walk there.
 */
function withShortInspect<A extends http.Agent>(agent: A): A {
  Object.defineProperty(agent, inspect.custom, { value: () => `[${agent.constructor.name}]` });
  return agent;
}
