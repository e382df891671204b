import { request, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface EngineCallProxy {
  /** `unix:///tmp/…/engine.sock`: give this to the bot as its `docker.host`. */
  readonly host: string;
  /** `GET /services/x`, `POST /services/x/update`: one entry per HTTP request, in order. */
  readonly calls: readonly string[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * A unix socket in front of the Engine's that forwards every HTTP request unchanged and writes
 * down its method and path. Counting here, outside the bot, sees every call whatever client or
 * code path made it, streams (logs) included.
 */
export async function startEngineCallProxy(engineSocket: string): Promise<EngineCallProxy> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tas-engine-calls-'));
  const socket = path.join(dir, 'engine.sock');
  let calls: string[] = [];
  const server = createServer((incoming, outgoing) => {
    calls.push(`${incoming.method ?? 'GET'} ${(incoming.url ?? '').split('?')[0] ?? ''}`);
    forward(engineSocket, incoming, outgoing);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    host: `unix://${socket}`,
    get calls() {
      return calls;
    },
    reset() {
      calls = [];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function forward(engineSocket: string, incoming: IncomingMessage, outgoing: ServerResponse): void {
  const upstream = request(
    {
      socketPath: engineSocket,
      method: incoming.method,
      path: incoming.url,
      headers: incoming.headers,
    },
    (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    },
  );
  // The bot closes a log stream early on purpose: let the Engine's side go too.
  outgoing.on('close', () => upstream.destroy());
  upstream.on('error', () => outgoing.destroy());
  incoming.pipe(upstream);
}
