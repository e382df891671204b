import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dockerSocketPath } from './infra.js';

/** `POST /v1.41/services/{id}/update?version=N` (the API version prefix is optional). */
const SERVICE_UPDATE = /^\/(?:v[\d.]+\/)?services\/([^/?]+)\/update(?:\?|$)/;

export interface KillOnUpdateOptions {
  /**
   * Ends the process under test (SIGKILL it by its pid) and resolves once it has exited.
   * Called after the Engine has answered an armed update, before the answer is passed on.
   */
  readonly kill: () => Promise<void>;
  /** The Engine's unix socket; the test swarm's by default. */
  readonly socketPath?: string;
  /** Which updates count, by the service id or name in the path; every one by default. */
  readonly match?: (service: string) => boolean;
  /** Armed from the start (default), or only once `arm()` is called. */
  readonly armed?: boolean;
}

export interface KillOnUpdate {
  /** The Engine address to give the process under test: `tcp://127.0.0.1:<port>`. */
  readonly host: string;
  /** How many updates the Engine accepted whose answer the process never got. */
  readonly kills: number;
  /** How many service updates the Engine accepted through the proxy, killed ones included. */
  readonly accepted: number;
  /** Kill on the next matching update (once; it disarms itself when it fires). */
  arm(): void;
  disarm(): void;
  close(): Promise<void>;
}

/**
 * An Engine proxy on 127.0.0.1 that opens the crash window between the Engine accepting a
 * service update and the worker storing the result: every request is passed to the Engine's
 * socket as it is, but an armed, matching `POST /services/{id}/update` is sent on, and once the
 * Engine has answered it with success (the change is on the service), `kill` ends the worker
 * and the answer is dropped. A refused update (4xx/5xx) is passed on: nothing changed.
 *
 * For a chaos run: start one proxy, give the worker's config `docker: { host: proxy.host }`,
 * `arm()` it at the instant the iteration chooses, and start the next worker straight at the
 * Engine (or through the proxy, disarmed).
 */
export async function startKillOnUpdate(options: KillOnUpdateOptions): Promise<KillOnUpdate> {
  const socketPath = options.socketPath ?? dockerSocketPath();
  const state = { armed: options.armed ?? true, kills: 0, accepted: 0 };
  const sockets = new Set<Socket>();

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const service = SERVICE_UPDATE.exec(req.url ?? '')?.[1];
    const armed =
      state.armed &&
      req.method === 'POST' &&
      service !== undefined &&
      (options.match?.(service) ?? true);
    const upstream = request(
      { socketPath, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const accepted = (answer.statusCode ?? 500) < 300;
        if (service !== undefined && req.method === 'POST' && accepted) state.accepted += 1;
        if (!armed || !accepted) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        state.armed = false;
        answer.resume();
        answer.once('end', () => {
          state.kills += 1;
          // The Engine has the change; the worker dies before it hears so.
          void options.kill().finally(() => res.destroy());
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  const server = createServer(forward);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `tcp://127.0.0.1:${port}`,
    get kills() {
      return state.kills;
    },
    get accepted() {
      return state.accepted;
    },
    arm() {
      state.armed = true;
    },
    disarm() {
      state.armed = false;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
