import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/core/ports/logger.js';
import { createHttpServer } from '../../../../src/infra/http/create-http-server.js';
import { clientErrorStatus } from '../../../../src/infra/http/raw-answer.js';
import { createReadiness } from '../../../../src/infra/http/readiness.js';
import { requestPath } from '../../../../src/infra/http/request-path.js';

/** A request as Node's parser would hand it over, answered without any socket. */
function answer(
  target: string,
  options: { method?: string; headers?: Record<string, string>; major?: number } = {},
): ServerResponse {
  const req = new IncomingMessage(new Socket());
  req.url = target;
  req.method = options.method ?? 'GET';
  req.headers = { host: '127.0.0.1', ...options.headers };
  req.httpVersionMajor = options.major ?? 1;
  const res = new ServerResponse(req);
  const server = createHttpServer({
    readiness: () => createReadiness().report(),
    metrics: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
    log: silentLogger,
    mounts: [
      {
        path: '/boom',
        handle() {
          throw new Error('a bug in a route');
        },
      },
    ],
  });
  server.handler(req, res);
  return res;
}

describe('requestPath', () => {
  describe('when the target is origin-form', () => {
    it.each([
      ['/health', '/health'],
      ['/health?probe=1', '/health'],
      ['/health#top', '/health'],
      ['/health/../metrics', '/health/../metrics'],
      ['//health', '//health'],
      ['/health%20x', '/health%20x'],
    ])('takes %s as the path %s, unresolved', (target, path) => {
      expect(requestPath(target)).toBe(path);
    });
  });

  describe('when the target is absolute-form', () => {
    it('takes the path of a parseable http URL', () => {
      expect(requestPath('http://127.0.0.1:3000/health?x=1')).toBe('/health');
      expect(requestPath('HTTPS://example.test/slack/events')).toBe('/slack/events');
    });

    it('yields none for a URL that does not parse', () => {
      expect(requestPath('http://[/health')).toBeUndefined();
      expect(requestPath('http://127.0.0.1:99999/health')).toBeUndefined();
    });
  });

  describe('when the target names no route', () => {
    it.each(['*', '127.0.0.1:443', 'ftp://x/health', 'health', '', '/%', '/health%zz', '/a%2'])(
      'yields none for %j',
      (target) => {
        expect(requestPath(target)).toBeUndefined();
      },
    );

    it('yields none when there is no target at all', () => {
      expect(requestPath(undefined)).toBeUndefined();
    });
  });
});

describe('clientErrorStatus', () => {
  it('answers oversized headers with 431, timeouts with 408 and anything else with 400', () => {
    expect(clientErrorStatus('HPE_HEADER_OVERFLOW')).toBe(431);
    expect(clientErrorStatus('ERR_HTTP_REQUEST_TIMEOUT')).toBe(408);
    expect(clientErrorStatus('HPE_HEADERS_TIMEOUT')).toBe(408);
    expect(clientErrorStatus('HPE_INVALID_METHOD')).toBe(400);
    expect(clientErrorStatus(undefined)).toBe(400);
  });
});

describe('createHttpServer’s handler', () => {
  describe('when the target cannot be parsed as a URL', () => {
    it('answers 400 and closes the connection instead of throwing', () => {
      const res = answer('http://[/health');
      expect(res.statusCode).toBe(400);
      expect(res.getHeader('connection')).toBe('close');
    });
  });

  describe('when the target is absolute-form', () => {
    it('routes it by its path', () => {
      expect(answer('http://127.0.0.1/health').statusCode).toBe(200);
      expect(answer('http://127.0.0.1/nope').statusCode).toBe(404);
    });
  });

  describe('when the request asks for a protocol upgrade', () => {
    it.each(['websocket', 'h2c'])('refuses %s with 400', (protocol) => {
      const res = answer('/health', {
        headers: { connection: 'Upgrade', upgrade: protocol },
      });
      expect(res.statusCode).toBe(400);
      expect(res.getHeader('connection')).toBe('close');
    });

    it('ignores an Upgrade header that Connection does not name', () => {
      expect(answer('/health', { headers: { upgrade: 'h2c' } }).statusCode).toBe(200);
    });
  });

  describe('when the request line names another HTTP major version', () => {
    it('answers 505', () => {
      expect(answer('/health', { major: 2 }).statusCode).toBe(505);
      expect(answer('/health', { major: 0 }).statusCode).toBe(505);
    });
  });

  describe('when a mounted route throws', () => {
    it('answers 500 instead of letting the exception escape', () => {
      expect(answer('/boom', { method: 'POST' }).statusCode).toBe(500);
    });
  });
});
