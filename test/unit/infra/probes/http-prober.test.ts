import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpProbeSpec } from '../../../../src/core/ports/prober.js';
import { createProber } from '../../../../src/infra/probes/create-prober.js';
import { MAX_BODY_BYTES } from '../../../../src/infra/probes/probe-http.js';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';

let server: LoopbackServer;

beforeAll(async () => {
  server = await startLoopbackServer();
});

afterAll(async () => {
  await server.close();
});

function spec(overrides: Partial<HttpProbeSpec> = {}): HttpProbeSpec {
  return {
    kind: 'http',
    name: 'readiness',
    url: `${server.origin}/api/status/readiness`,
    method: 'GET',
    headers: {},
    expectStatus: [200],
    timeoutMs: 1000,
    ...overrides,
  };
}

function reply(status: number, body: unknown, type = 'application/json') {
  return (_req: unknown, res: ServerResponse) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, text === '' ? {} : { 'content-type': type }).end(text);
  };
}

const probe = (overrides: Partial<HttpProbeSpec> = {}) => createProber().probe(spec(overrides));

describe('createProber (HTTP)', () => {
  describe('when the status is expected', () => {
    it('reports ok with the status line', async () => {
      server.handle(reply(200, { status: 'OK' }));

      const result = await probe();

      expect(result).toMatchObject({
        name: 'readiness',
        target: `${server.origin}/api/status/readiness`,
        outcome: 'ok',
        status: 200,
        detail: '200 OK',
        body: '{"status":"OK"}',
      });
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    });

    it('accepts any status of the expected list', async () => {
      server.handle(reply(204, ''));

      const result = await probe({ url: `${server.origin}/`, expectStatus: [200, 204] });

      expect(result).toMatchObject({ outcome: 'ok', detail: '204 No Content' });
      expect(result).not.toHaveProperty('body');
    });

    it('sends the configured method, path and headers', async () => {
      const seen: string[] = [];
      server.handle((req, res) => {
        seen.push(`${req.method ?? ''} ${req.url ?? ''} ${req.headers.authorization ?? ''}`);
        res.writeHead(200).end('ok');
      });

      const result = await probe({
        url: `${server.origin}/api/health?deep=1`,
        method: 'POST',
        headers: { authorization: 'Bearer t0ken' },
      });

      expect(result.outcome).toBe('ok');
      expect(seen).toEqual(['POST /api/health?deep=1 Bearer t0ken']);
    });
  });

  describe('when the status is not expected', () => {
    it('shows the status and the JSON body on one line', async () => {
      server.handle(reply(503, '{\n  "status": "UNAVAILABLE"\n}'));

      const result = await probe();

      expect(result).toMatchObject({
        outcome: 'fail',
        status: 503,
        detail: '503 {"status":"UNAVAILABLE"}',
      });
    });

    it('names the failing component from failureField instead of the body', async () => {
      server.handle(reply(503, { status: 'DOWN', component: 'database' }));

      const result = await probe({ failureField: 'component' });

      expect(result.detail).toBe('503 component=database');
    });

    it('reads failureField from a nested path', async () => {
      server.handle(reply(500, { error: { component: 'elasticsearch' } }));

      const result = await probe({ failureField: 'error.component' });

      expect(result.detail).toBe('500 error.component=elasticsearch');
    });

    it('uses the status text when the body is empty', async () => {
      server.handle(reply(502, ''));

      expect((await probe()).detail).toBe('502 Bad Gateway');
    });

    it('collapses an HTML error page into a short line', async () => {
      const page = `<html>\n<body>\n<h1>502 Bad Gateway</h1>\n${'<p>nginx</p>\n'.repeat(50)}</body></html>`;
      server.handle(reply(502, page, 'text/html'));

      const { detail } = await probe();

      expect(detail).toMatch(/^502 <html> <body> <h1>502 Bad Gateway<\/h1> <p>nginx/);
      expect(detail.length).toBeLessThanOrEqual(130);
      expect(detail).not.toContain('\n');
    });

    it('reports a redirect as it is, without following it', async () => {
      const paths: string[] = [];
      server.handle((req, res) => {
        paths.push(req.url ?? '');
        if (req.url === '/ok') res.writeHead(200).end('ok');
        else res.writeHead(302, { location: '/ok' }).end();
      });

      const result = await probe();

      expect(result).toMatchObject({ outcome: 'fail', status: 302, detail: '302 Found' });
      expect(paths).toEqual(['/api/status/readiness']);
    });
  });

  describe('when a JSON subset is expected', () => {
    it('passes when the body contains the subset', async () => {
      server.handle(
        reply(200, {
          status: 'OK',
          version: '5.15.2',
          checks: [
            { name: 'db', status: 'UP' },
            { name: 'es', status: 'UP' },
          ],
        }),
      );

      const result = await probe({
        expectJson: { status: 'OK', checks: [{ name: 'es', status: 'UP' }] },
      });

      expect(result).toMatchObject({ outcome: 'ok', detail: '200 OK' });
    });

    it('says which field differs', async () => {
      server.handle(reply(200, { status: 'DEGRADED' }));

      const result = await probe({ expectJson: { status: 'OK' } });

      expect(result).toMatchObject({
        outcome: 'fail',
        status: 200,
        detail: 'expected status "OK", got "DEGRADED"',
      });
    });

    it('adds the failing component when the body names one', async () => {
      server.handle(reply(200, { status: 'DEGRADED', component: 'redis' }));

      const result = await probe({ expectJson: { status: 'OK' }, failureField: 'component' });

      expect(result.detail).toBe('expected status "OK", got "DEGRADED" (component=redis)');
    });

    it('fails a body that is not JSON', async () => {
      server.handle(reply(200, 'all good', 'text/plain'));

      const result = await probe({ expectJson: { status: 'OK' } });

      expect(result).toMatchObject({
        outcome: 'fail',
        detail: 'expected a JSON body, got "all good"',
      });
    });
  });

  describe('when the body is large', () => {
    it(`reads at most ${MAX_BODY_BYTES} bytes of it and hangs up on the rest`, async () => {
      let hungUp = false;
      server.handle((_req, res) => {
        // An endless body: the probe can only finish by closing the connection itself.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => res.write('x'.repeat(16 * 1024)), 5);
        res.on('close', () => {
          clearInterval(timer);
          hungUp = true;
        });
      });

      const result = await probe({ timeoutMs: 10_000 });

      expect(result.outcome).toBe('ok');
      expect(result.body?.length).toBe(MAX_BODY_BYTES);
      await expect.poll(() => hungUp, { timeout: 2000 }).toBe(true);
    });

    it('ends the body before a token the size cap would cut in half', async () => {
      // Redaction runs later, wherever the body is shown: half a token would not be recognised.
      const token = `ghp_${'FAKEfake'.repeat(5)}`;
      const head = `{"status":"DOWN","detail":"${'x'.repeat(MAX_BODY_BYTES - 50)} `;
      server.handle(reply(200, `${head}${token} more"}`));

      const result = await probe();

      expect(result.body).toBe(head);
    });

    it('ends a failure snippet before a URL the snippet length would cut in half', async () => {
      server.handle(
        reply(503, `database down: ${'z'.repeat(90)} postgres://app:S3cretPassw0rd@db:5432/app`),
      );

      const result = await probe();

      expect(result.detail).toBe(`503 database down: ${'z'.repeat(90)} …`);
    });
  });

  describe('when no answer comes in time', () => {
    it('reports timeout at its timeout, not when the server finally answers', async () => {
      server.handle((_req, res) => {
        const timer = setTimeout(() => res.writeHead(200).end('late'), 5000);
        res.on('close', () => clearTimeout(timer));
      });

      const result = await probe({ timeoutMs: 200 });

      expect(result).toMatchObject({
        outcome: 'timeout',
        detail: 'timed out after 200ms waiting for a response',
      });
      expect(result).not.toHaveProperty('status');
      expect(result.latencyMs).toBeGreaterThanOrEqual(195);
    });

    it('names the status when the body is what did not finish', async () => {
      server.handle((_req, res) => {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.write('{"status":');
      });

      const result = await probe({ timeoutMs: 200 });

      expect(result).toMatchObject({
        outcome: 'timeout',
        status: 503,
        detail: 'timed out after 200ms reading the body (503)',
      });
    });
  });

  describe('when the connection fails', () => {
    it('reports a refused connection with its address without throwing', async () => {
      const free = await closedPort();

      const result = await probe({ url: `http://127.0.0.1:${free}/api/status/readiness` });

      expect(result).toMatchObject({ outcome: 'error', detail: `ECONNREFUSED 127.0.0.1:${free}` });
    });

    it('reports a connection the server drops as a reset', async () => {
      server.handle((req) => req.socket.destroy());

      const result = await probe();

      expect(result).toMatchObject({
        outcome: 'error',
        detail: `ECONNRESET 127.0.0.1:${server.port} (socket hang up)`,
      });
    });

    it('reports a URL it cannot probe as an error row', async () => {
      const result = await probe({ url: 'ftp://127.0.0.1/health' });

      expect(result).toMatchObject({
        outcome: 'error',
        detail: 'unsupported protocol ftp (127.0.0.1)',
      });
    });
  });
});

async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const free = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

describe('createProber › HTTP connections', () => {
  describe('when the same route is probed again', () => {
    it('opens a new connection each time and asks the server to close it', async () => {
      const seen: { port: number | undefined; connection: string | undefined }[] = [];
      server.handle((req, res) => {
        seen.push({ port: req.socket.remotePort, connection: req.headers.connection });
        res.writeHead(200).end();
      });

      await probe();
      await probe();

      expect(seen).toHaveLength(2);
      expect(seen.map((s) => s.connection)).toEqual(['close', 'close']);
      expect(seen[0]?.port).not.toBe(seen[1]?.port);
    });
  });
});
