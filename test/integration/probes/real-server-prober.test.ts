import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpProbeSpec } from '../../../src/core/ports/prober.js';
import { createProber } from '../../../src/infra/probes/create-prober.js';

/**
 * The prober against real sockets on 127.0.0.1: a server that never sends headers, one that
 * trickles its body, a 503 with JSON, and a port nobody listens on.
 */
let server: Server;
let base: string;
let port: number;
const sockets = new Set<Socket>();
/** Sockets of requests to `/never`, which only the client can close. */
const neverAnswered: Socket[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url ?? '') {
      case '/api/status/liveness':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"OK"}');
        return;
      case '/api/status/readiness':
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"UNAVAILABLE"}');
        return;
      case '/never':
        neverAnswered.push(req.socket);
        return; // accepts the request, never answers
      case '/trickle': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(timer));
        return;
      }
      default:
        res.writeHead(404).end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function http(path: string, overrides: Partial<HttpProbeSpec> = {}): HttpProbeSpec {
  return {
    kind: 'http',
    name: path.split('/').pop() ?? path,
    url: `${base}${path}`,
    method: 'GET',
    headers: {},
    expectStatus: [200],
    timeoutMs: 2000,
    ...overrides,
  };
}

async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const free = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

describe('createProber against a real HTTP server', () => {
  const prober = createProber();

  it('reports a 503 with its JSON body', async () => {
    const result = await prober.probe(http('/api/status/readiness'));

    expect(result).toMatchObject({
      outcome: 'fail',
      status: 503,
      detail: '503 {"status":"UNAVAILABLE"}',
    });
  });

  it('reports ok for an expected JSON subset', async () => {
    const result = await prober.probe(
      http('/api/status/liveness', { expectJson: { status: 'OK' } }),
    );

    expect(result).toMatchObject({ outcome: 'ok', detail: '200 OK' });
  });

  it('times out at its timeout when the server never sends headers', async () => {
    const started = performance.now();

    const result = await prober.probe(http('/never', { timeoutMs: 300 }));

    const took = performance.now() - started;
    expect(result).toMatchObject({
      outcome: 'timeout',
      detail: 'timed out after 300ms waiting for a response',
    });
    expect(took).toBeGreaterThanOrEqual(290);
  });

  it('times out at its timeout when the body trickles forever', async () => {
    const result = await prober.probe(http('/trickle', { timeoutMs: 300 }));

    expect(result).toMatchObject({
      outcome: 'timeout',
      status: 200,
      detail: 'timed out after 300ms reading the body (200)',
    });
  });

  it('releases the connection of a probe that timed out', async () => {
    const before = neverAnswered.length;
    await prober.probe(http('/never', { timeoutMs: 100 }));

    const socket = neverAnswered[before];
    expect(socket).toBeDefined();
    await expect.poll(() => socket?.destroyed, { timeout: 2000 }).toBe(true);
  });

  it('reports a refused connection with its address', async () => {
    const free = await closedPort();

    const result = await prober.probe(http('/', { url: `http://127.0.0.1:${free}/health` }));

    expect(result).toMatchObject({ outcome: 'error', detail: `ECONNREFUSED 127.0.0.1:${free}` });
  });
});

describe('createProber with TCP probes', () => {
  const prober = createProber();

  it('reports ok when something accepts the connection', async () => {
    const result = await prober.probe({
      kind: 'tcp',
      name: 'web',
      host: '127.0.0.1',
      port,
      timeoutMs: 1000,
    });

    expect(result).toMatchObject({
      outcome: 'ok',
      target: `127.0.0.1:${port}`,
      detail: 'connected',
    });
  });

  it('reports a refused connection with its address', async () => {
    const free = await closedPort();

    const result = await prober.probe({
      kind: 'tcp',
      name: 'mongo',
      host: '127.0.0.1',
      port: free,
      timeoutMs: 1000,
    });

    expect(result).toMatchObject({ outcome: 'error', detail: `ECONNREFUSED 127.0.0.1:${free}` });
  });
});
