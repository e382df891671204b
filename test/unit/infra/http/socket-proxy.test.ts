import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/core/ports/logger.js';
import { createSocketProxy } from '../../../../src/infra/http/socket-proxy.js';
import { imageRepository, refuseSpec } from '../../../../src/infra/http/socket-proxy-spec.js';

const spec = (image = 'registry:5000/tas/backend:5.15.1', replicas = 1, force = 3) => ({
  Name: 'prod_backend',
  TaskTemplate: { ForceUpdate: force, ContainerSpec: { Image: image, Args: ['serve'] } },
  Mode: { Replicated: { Replicas: replicas } },
  Labels: { 'com.docker.stack.namespace': 'prod' },
});
const any = { updatePrefixes: ['*'] };

describe('imageRepository', () => {
  it('drops the tag and the digest but keeps a registry port', () => {
    expect(imageRepository('registry:5000/tas/backend:5.15.1@sha256:abc')).toBe(
      'registry:5000/tas/backend',
    );
    expect(imageRepository('registry:5000/tas/backend')).toBe('registry:5000/tas/backend');
    expect(imageRepository('redis:7')).toBe('redis');
  });
});

describe('refuseSpec', () => {
  it('allows a restart, a scale, a tag change and an unchanged spec', () => {
    expect(refuseSpec(spec(), spec(undefined, 1, 4), any)).toBeUndefined();
    expect(refuseSpec(spec(), spec(undefined, 0), any)).toBeUndefined();
    expect(refuseSpec(spec(), spec('registry:5000/tas/backend:5.15.2'), any)).toBeUndefined();
    expect(refuseSpec(spec(), spec(), any)).toBeUndefined();
  });

  it('refuses another image repository unless allowed', () => {
    expect(refuseSpec(spec(), spec('evil/rootshell:1'), any)).toBe(
      'the update would switch the image repository (registry:5000/tas/backend → evil/rootshell)',
    );
    expect(
      refuseSpec(spec(), spec('evil/rootshell:1'), { ...any, allowRepositoryChange: true }),
    ).toBeUndefined();
  });

  it('refuses any other change, whatever the key order', () => {
    const mounted = {
      ...spec(),
      TaskTemplate: {
        ...spec().TaskTemplate,
        ContainerSpec: {
          ...spec().TaskTemplate.ContainerSpec,
          Mounts: [{ Source: '/', Target: '/host' }],
        },
      },
    };
    expect(refuseSpec(spec(), mounted, any)).toBe(
      'the update changes more than ForceUpdate, the replica count or the image tag',
    );
    const reordered = {
      Mode: { Replicated: { Replicas: 1 } },
      Labels: { 'com.docker.stack.namespace': 'prod' },
      TaskTemplate: {
        ContainerSpec: { Args: ['serve'], Image: 'registry:5000/tas/backend:5.15.1' },
        ForceUpdate: 3,
      },
      Name: 'prod_backend',
    };
    expect(refuseSpec(spec(), reordered, any)).toBeUndefined();
  });

  it('refuses a field spelt in another case, which the Engine reads as the same field', () => {
    const shadow = { ...spec(), taskTemplate: { ContainerSpec: { Privileges: {} } } };
    expect(refuseSpec(spec(), shadow, any)).toBe(
      'the update changes more than ForceUpdate, the replica count or the image tag',
    );
  });

  it('refuses counts that are not non-negative integers and a missing image', () => {
    expect(refuseSpec(spec(), spec(undefined, -1), any)).toBe(
      'ForceUpdate and Replicas must be non-negative integers',
    );
    expect(refuseSpec(spec(), { ...spec(), TaskTemplate: { ForceUpdate: 1.5 } }, any)).toBe(
      'ForceUpdate and Replicas must be non-negative integers',
    );
    expect(refuseSpec(spec(), { ...spec(), TaskTemplate: {} }, any)).toBe(
      'the update must name the image as a string',
    );
  });

  it('refuses services outside the allowed prefixes, and every service with no prefix', () => {
    const restart = spec(undefined, 1, 4);
    expect(refuseSpec(spec(), restart, { updatePrefixes: ['staging_'] })).toBe(
      'service prod_backend is outside the allowed prefixes (staging_)',
    );
    expect(refuseSpec(spec(), restart, { updatePrefixes: ['staging_', 'prod_'] })).toBeUndefined();
    expect(refuseSpec(spec(), restart, { updatePrefixes: [] })).toBe(
      'service prod_backend is outside the allowed prefixes (none)',
    );
  });
});

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A stand-in Engine on a unix socket: one service (`prod_backend`, ID `svc1`, version 7, a
 * PreviousSpec with an extra env var; `svc3` with one that differs only in the replica count),
 * the proxy's own service (`svc2`), an update endpoint that records what reached it, and a
 * log stream that never ends.
 */
function standInEngine() {
  const received: Received[] = [];
  const current = { ...spec(), Name: 'prod_backend' };
  const previous = {
    ...spec(),
    TaskTemplate: {
      ...spec().TaskTemplate,
      ContainerSpec: { ...spec().TaskTemplate.ContainerSpec, Env: ['DEBUG=1'] },
    },
  };
  const services: Record<string, unknown> = {
    svc1: { ID: 'svc1', Version: { Index: 7 }, Spec: current, PreviousSpec: previous },
    svc2: { ID: 'svc2', Version: { Index: 9 }, Spec: { ...current, Name: 'prod_proxy' } },
    svc3: { ID: 'svc3', Version: { Index: 4 }, Spec: current, PreviousSpec: spec(undefined, 0) },
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const inspect = /^\/v1\.41\/services\/([^/?]+)$/.exec(req.url ?? '')?.[1];
      if (inspect !== undefined) {
        const found = services[inspect] ?? services[inspect.replace('prod_backend', 'svc1')];
        res.writeHead(found === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
        return void res.end(JSON.stringify(found ?? { message: 'no such service' }));
      }
      if ((req.url ?? '').includes('/logs')) {
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
        res.write('line 0\n');
        const timer = setInterval(() => res.write('line\n'), 100);
        res.on('close', () => clearInterval(timer));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"Warnings":null}');
    });
  });
  return { server, received, updates: () => received.filter((r) => r.method === 'POST') };
}

describe('createSocketProxy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tas-proxy-'));
  const socketPath = join(dir, 'engine.sock');
  const engine = standInEngine();
  const proxy = createSocketProxy({
    socketPath,
    updatePrefixes: ['prod_'],
    ownService: { ids: [], names: ['prod_proxy'] },
    limits: { requestTimeoutMs: 1_500, headersTimeoutMs: 1_000, maxBodyBytes: 64 * 1024 },
    log: silentLogger,
  });
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => engine.server.listen(socketPath, resolve));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    port = (proxy.address() as { port: number }).port;
  });
  afterEach(() => {
    engine.received.length = 0;
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    engine.server.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await new Promise((resolve) => engine.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** One request; `headers` may carry anything, `body` goes as given (chunked without a length). */
  function send(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method, path, headers, agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Raw bytes on a fresh connection; resolves with everything the proxy wrote before closing. */
  function raw(bytes: string | Buffer, endAfterWrite = false): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'ECONNRESET' ? resolve(text) : reject(error),
      );
      socket.write(bytes, () => {
        if (endAfterWrite) socket.end();
      });
    });
  }

  const restartBody = () => JSON.stringify(spec(undefined, 1, 4));

  describe('when the bot restarts a service in its prefix', () => {
    it('forwards its own serialisation to the inspected ID with only its own headers', async () => {
      const body = `  ${JSON.stringify(spec(undefined, 1, 4), null, 2)}  `;
      const answer = await send('POST', '/v1.41/services/prod_backend/update?version=7', body, {
        'Content-Type': 'application/json',
        'X-Registry-Auth': 'eyJ1c2VybmFtZSI6ImV2aWwifQ==',
        'X-Custom': 'x',
      });
      expect(answer).toEqual({ status: 200, body: '{"Warnings":null}' });
      const [forwarded] = engine.updates();
      expect(forwarded?.url).toBe('/v1.41/services/svc1/update?version=7');
      expect(forwarded?.body).toBe(JSON.stringify(JSON.parse(body)));
      expect(forwarded?.headers).toMatchObject({
        host: 'docker',
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(forwarded?.body ?? '')),
      });
      expect(Object.keys(forwarded?.headers ?? {}).sort()).toEqual([
        'connection',
        'content-length',
        'content-type',
        'host',
      ]);
    });

    it('forwards a chunked body as one body with a Content-Length', async () => {
      const answer = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', agent: false }, (res) =>
          resolve(res.statusCode ?? 0),
        );
        req.path = '/v1.41/services/svc1/update?version=7';
        req.on('error', reject);
        const text = restartBody();
        req.write(text.slice(0, 10));
        req.write(text.slice(10));
        req.end();
      });
      expect(answer).toBe(200);
      const [forwarded] = engine.updates();
      expect(forwarded?.headers['transfer-encoding']).toBeUndefined();
      expect(forwarded?.headers['content-length']).toBe(String(restartBody().length));
    });
  });

  describe('when the body could mean something else to the Engine', () => {
    it('refuses duplicate keys with 400 and forwards nothing', async () => {
      const mounted = JSON.stringify({
        TaskTemplate: {
          ContainerSpec: { Mounts: [{ Type: 'bind', Source: '/', Target: '/host' }] },
        },
      }).slice(1, -1);
      const answer = await send(
        'POST',
        '/v1.41/services/svc1/update?version=7',
        `{${mounted},${restartBody().slice(1)}`,
      );
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('duplicate key \\"TaskTemplate\\"');
      expect(engine.updates()).toEqual([]);
    });

    it('refuses a body that is no object, or not JSON, with 400', async () => {
      for (const body of ['[]', 'null', '', '{"a":1}{"b":2}', Buffer.from([0x7b, 0xff, 0x7d])]) {
        expect((await send('POST', '/v1.41/services/svc1/update?version=7', body)).status).toBe(
          400,
        );
      }
      expect(engine.updates()).toEqual([]);
    });
  });

  describe('when the query string holds more than the version', () => {
    it('refuses it with 403', async () => {
      for (const query of [
        'version=7&registryAuthFrom=previous-spec',
        'version=7&version=7',
        'version=7&rollback=none',
        'version=%37',
        '',
      ]) {
        const answer = await send('POST', `/v1.41/services/svc1/update?${query}`, restartBody());
        expect(answer.status, query).toBe(403);
      }
      expect(engine.updates()).toEqual([]);
    });
  });

  describe('when the query asks for rollback=previous', () => {
    it('refuses it with 403 before asking the Engine, even when the PreviousSpec differs only in the replica count', async () => {
      for (const target of ['svc3/update?version=4', 'svc1/update?version=7']) {
        const answer = await send(
          'POST',
          `/v1.41/services/${target}&rollback=previous`,
          JSON.stringify(spec()),
        );
        expect(answer.status, target).toBe(403);
        expect(answer.body).toContain(
          'the bot rolls back by an explicit update to the image recorded at plan time',
        );
      }
      expect(engine.received).toEqual([]);
    });
  });

  describe('when the update targets the proxy itself or a stale version', () => {
    it('refuses its own service with 403 and a stale version as out of sequence', async () => {
      const own = await send('POST', '/v1.41/services/svc2/update?version=9', restartBody());
      expect(own.status).toBe(403);
      expect(own.body).toContain('service prod_proxy runs this proxy');
      const stale = await send('POST', '/v1.41/services/svc1/update?version=6', restartBody());
      expect(stale.status).toBe(500);
      expect(stale.body).toContain('update out of sequence');
      expect(engine.updates()).toEqual([]);
    });
  });

  describe('when the body is too large or ends early', () => {
    it('answers 413 to a declared or a streamed oversized body', async () => {
      const big = `{"a":"${'x'.repeat(70 * 1024)}"}`;
      expect((await send('POST', '/v1.41/services/svc1/update?version=7', big)).status).toBe(413);
      const chunked = await raw(
        'POST /v1.41/services/svc1/update?version=7 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' +
          `${(70 * 1024).toString(16)}\r\n${'x'.repeat(70 * 1024)}\r\n`,
      );
      expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
    });

    it('forwards nothing when the client goes away mid-body, and keeps serving', async () => {
      const cut = await raw(
        'POST /v1.41/services/svc1/update?version=7 HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"Name":',
        true,
      );
      expect(cut).toMatch(/^(HTTP\/1\.1 400 |)/);
      const slow = await raw(
        'POST /v1.41/services/svc1/update?version=7 HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"Name":',
      );
      expect(slow).toMatch(/^HTTP\/1\.1 408 /);
      expect(engine.updates()).toEqual([]);
      expect((await send('GET', '/_ping')).status).toBe(200);
    });
  });

  describe('when the request is malformed', () => {
    it('answers each with a 4xx or closes, and keeps serving', async () => {
      const cases: [string, RegExp][] = [
        ['GET http://[/health HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 403 /],
        ['GET http://docker/v1.41/version HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 403 /],
        ['GET /v1.41/services%2Fx HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 403 /],
        ['GET /v1.41/%zz HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 403 /],
        ['GET * HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 403 /],
        ['BREW /v1.41/version HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 400 /],
        ['PROPFIND /v1.41/version HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 403 /],
        ['CONNECT docker:2375 HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 403 /],
        [
          'GET /v1.41/version HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n',
          /^HTTP\/1\.1 403 /,
        ],
        [
          `GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
          /^HTTP\/1\.1 431 /,
        ],
        [
          'GET /_ping HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
          /^HTTP\/1\.1 400 /,
        ],
        [
          'GET /_ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n',
          /^HTTP\/1\.1 400 /,
        ],
        ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' + '\x00'.repeat(40), /^HTTP\/1\.1 400 /],
      ];
      for (const [bytes, expected] of cases) {
        expect(await raw(Buffer.from(bytes, 'latin1')), JSON.stringify(bytes.slice(0, 60))).toMatch(
          expected,
        );
      }
      expect(engine.updates()).toEqual([]);
      expect((await send('GET', '/_ping')).status).toBe(200);
    });

    it('closes a connection whose headers never end', async () => {
      expect(await raw('GET /_ping HTTP/1.1\r\nHost: x\r\n')).toMatch(/^HTTP\/1\.1 408 /);
    });
  });

  describe('when a log stream follows for longer than the request timeout', () => {
    it('keeps streaming it', async () => {
      const lines = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/v1.41/services/svc1/logs?follow=1&stdout=1',
            agent: false,
          },
          (res) => {
            let count = 0;
            res.on('data', (chunk: Buffer) => (count += chunk.toString().split('\n').length - 1));
            setTimeout(() => {
              res.destroy();
              resolve(count);
            }, 3_500);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(lines).toBeGreaterThan(25);
    });
  });
});
