import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
}

export type Route = (request: RecordedRequest, response: ServerResponse) => void;

/**
 * A stand-in Docker Engine on 127.0.0.1 built on node:http only: routes answer by path
 * (without the `/v1.41` prefix), every request is recorded. Unmatched paths answer 404 the way
 * the Engine does (`{"message": …}`).
 */
export async function startStubEngine(routes: Record<string, Route>): Promise<{
  host: string;
  requests: RecordedRequest[];
  sockets: Set<Socket>;
  close(): Promise<void>;
}> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://engine');
    const recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams };
    requests.push(recorded);
    const route = routes[url.pathname.replace(/^\/v1\.41/, '')];
    if (route === undefined) {
      json(res, 404, { message: `page not found: ${url.pathname}` });
      return;
    }
    route(recorded, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `tcp://127.0.0.1:${port}`,
    requests,
    sockets,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** One frame of the Engine's multiplexed log stream (8-byte header, then the payload). */
export function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}
