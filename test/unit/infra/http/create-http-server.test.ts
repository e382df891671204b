import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHttpServer,
  type BotHttpServer,
  type HttpMount,
} from '../../../../src/infra/http/create-http-server.js';
import { createReadiness, type ReadinessCheck } from '../../../../src/infra/http/readiness.js';
import { silentLogger } from '../../../../src/core/ports/logger.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A plain node:http request on loopback, so the test shares no code with the server. */
function call(address: AddressInfo, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: address.port, method, path, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const servers: BotHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(checks: readonly ReadinessCheck[] = [], mounts: readonly HttpMount[] = []) {
  const readiness = createReadiness(checks, 200);
  const server = createHttpServer({
    readiness: () => readiness.report(),
    metrics: () =>
      Promise.resolve({
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
        body: 'tas_up 1\n',
      }),
    mounts,
    log: silentLogger,
  });
  servers.push(server);
  const address = await server.listen(0, '127.0.0.1');
  return { server, readiness, address };
}

const echo: HttpMount = {
  path: '/slack/events',
  handle(req, res) {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`got ${req.method ?? ''} ${body}`);
    });
  },
};

describe('createHttpServer', () => {
  describe('GET /health', () => {
    it('answers 200 without asking any dependency', async () => {
      const { address } = await start([
        { name: 'redis', check: () => ({ ok: false, detail: 'down' }) },
      ]);
      const answer = await call(address, 'GET', '/health');
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ status: 'OK' });
      expect(answer.headers['cache-control']).toBe('no-store');
    });

    it('refuses other methods with 405 and says which are allowed', async () => {
      const { address } = await start();
      const answer = await call(address, 'POST', '/health');
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
    });
  });

  describe('GET /health/ready', () => {
    it('answers 200 with each check when every check passes', async () => {
      const { address } = await start([
        { name: 'redis', check: () => ({ ok: true, detail: 'answers' }) },
        {
          name: 'workers',
          check: () => Promise.resolve({ ok: true, detail: 'canary answered 1s ago' }),
        },
      ]);
      const answer = await call(address, 'GET', '/health/ready');
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({
        status: 'OK',
        checks: [
          { name: 'redis', ok: true, detail: 'answers' },
          { name: 'workers', ok: true, detail: 'canary answered 1s ago' },
        ],
      });
    });

    it('answers 503 naming the check that fails', async () => {
      const { address } = await start([
        { name: 'redis', check: () => ({ ok: true, detail: 'answers' }) },
        { name: 'slack', check: () => ({ ok: false, detail: 'not connected' }) },
      ]);
      const answer = await call(address, 'GET', '/health/ready');
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({
        status: 'UNAVAILABLE',
        checks: [{ ok: true }, { name: 'slack', ok: false, detail: 'not connected' }],
      });
    });

    it('fails a check that throws or never answers instead of hanging', async () => {
      const { address } = await start([
        { name: 'broken', check: () => Promise.reject(new Error('boom')) },
        { name: 'stuck', check: () => new Promise(() => undefined) },
      ]);
      const answer = await call(address, 'GET', '/health/ready');
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({
        checks: [
          { name: 'broken', ok: false, detail: 'boom' },
          { name: 'stuck', ok: false, detail: 'no answer within 200 ms' },
        ],
      });
    });

    it('answers 503 with stopping once readiness is stopped, whatever the checks say', async () => {
      const { address, readiness } = await start([
        { name: 'redis', check: () => ({ ok: true, detail: 'answers' }) },
      ]);
      readiness.stop();
      const answer = await call(address, 'GET', '/health/ready');
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'UNAVAILABLE', stopping: true });
    });
  });

  describe('GET /metrics', () => {
    it('answers with the exposition text and its content type', async () => {
      const { address } = await start();
      const answer = await call(address, 'GET', '/metrics');
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(answer.body).toBe('tas_up 1\n');
    });
  });

  describe('mounted routes', () => {
    it('passes requests to an adapter mounted at creation or later', async () => {
      const { server, address } = await start([], [echo]);
      expect((await call(address, 'POST', '/slack/events?x=1', 'payload')).body).toBe(
        'got POST payload',
      );
      server.mount({ path: '/discord/interactions', handle: (_req, res) => res.end('pong') });
      expect((await call(address, 'POST', '/discord/interactions')).body).toBe('pong');
    });

    it('answers 500 when a mounted handler throws', async () => {
      const { address } = await start(
        [],
        [
          {
            path: '/bad',
            handle: () => {
              throw new Error('bug');
            },
          },
        ],
      );
      expect((await call(address, 'GET', '/bad')).status).toBe(500);
    });

    it('answers 404 for anything else', async () => {
      const { address } = await start([], [echo]);
      expect((await call(address, 'GET', '/nope')).status).toBe(404);
    });
  });

  describe('when draining', () => {
    it('refuses mounted routes with 503 but keeps answering health and metrics, closing each connection', async () => {
      const { server, address, readiness } = await start(
        [{ name: 'redis', check: () => ({ ok: true, detail: 'answers' }) }],
        [echo],
      );
      readiness.stop();
      server.drain();
      const intake = await call(address, 'POST', '/slack/events', 'payload');
      expect(intake.status).toBe(503);
      expect(intake.headers['retry-after']).toBe('5');
      const health = await call(address, 'GET', '/health');
      expect(health.status).toBe(200);
      expect(health.headers.connection).toBe('close');
      expect((await call(address, 'GET', '/health/ready')).status).toBe(503);
      expect((await call(address, 'GET', '/metrics')).status).toBe(200);
    });
  });

  describe('close', () => {
    it('stops listening', async () => {
      const { server, address } = await start();
      await server.close();
      await expect(call(address, 'GET', '/health')).rejects.toThrow(/ECONNREFUSED/);
    });
  });
});
