import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMattermostApi,
  MattermostApiError,
  retryAfterMs,
} from '../../../../adapters/mattermost/mattermost-api.js';
import { silentLogger } from '../../../../src/core/ports/logger.js';

/** A REST API answering from a script: each request takes the next answer. */
describe('createMattermostApi', () => {
  let server: Server;
  let url = '';
  let script: ((req: IncomingMessage, res: ServerResponse, body: string) => void)[] = [];
  let seen: { method: string; path: string; auth: string; type: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({
          method: req.method ?? '',
          path: req.url ?? '',
          auth: req.headers.authorization ?? '',
          type: req.headers['content-type'] ?? '',
          body,
        });
        const next = script.shift();
        if (next === undefined) {
          res.writeHead(500);
          res.end();
        } else next(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    script = [];
    seen = [];
  });

  const json = (status: number, body: object) => (_q: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  // The rate limiter's 429 is plain text, not an AppError.
  const limited = (_q: IncomingMessage, res: ServerResponse) => {
    res.writeHead(429, {
      'Content-Type': 'text/plain',
      'Retry-After': '0',
      'X-RateLimit-Reset': '0',
    });
    res.end('limit exceeded\n');
  };
  const api = () => createMattermostApi(url, 'bot-token', silentLogger);
  const post = { channel_id: 'c1', message: 'hello' };

  describe('when the server rate-limits a post', () => {
    it('waits as asked and posts it once the limit lifts', async () => {
      script = [
        limited,
        limited,
        json(201, { id: 'p1', channel_id: 'c1', user_id: 'b', message: 'hello' }),
      ];
      await expect(api().createPost(post)).resolves.toMatchObject({ id: 'p1' });
      expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(Array(3).fill('POST /api/v4/posts'));
      expect(seen[0]?.auth).toMatch(/^bearer bot-token$/i);
    });

    it('gives up after a bounded number of retries, saying why', async () => {
      script = [limited, limited, limited, limited, limited];
      const failure = await api()
        .createPost(post)
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MattermostApiError);
      expect((failure as MattermostApiError).status).toBe(429);
      expect(seen).toHaveLength(4);
    });
  });

  describe('when a post is looked up', () => {
    it('is undefined for a post the server does not know', async () => {
      script = [
        json(404, { id: 'app.post.get.app_error', message: 'not found', status_code: 404 }),
      ];
      await expect(api().getPost('nope')).resolves.toBeUndefined();
    });
  });

  describe('when a file is uploaded', () => {
    it('sends a multipart form with the channel and the file, and returns its id', async () => {
      script = [json(201, { file_infos: [{ id: 'f1' }], client_ids: [] })];
      const id = await api().uploadFile('c1', {
        filename: 'report.txt',
        contentType: 'text/plain',
        content: 'all of it',
      });
      expect(id).toBe('f1');
      expect(seen[0]?.type).toMatch(/^multipart\/form-data; boundary=/);
      expect(seen[0]?.body).toContain('name="channel_id"\r\n\r\nc1');
      expect(seen[0]?.body).toContain('filename="report.txt"');
      expect(seen[0]?.body).toContain('all of it');
    });
  });
});

describe('retryAfterMs', () => {
  describe('when the server names a wait', () => {
    it('waits that long, within bounds', () => {
      expect(retryAfterMs(new Headers({ 'Retry-After': '2' }))).toBe(2000);
      expect(retryAfterMs(new Headers({ 'X-RateLimit-Reset': '3' }))).toBe(3000);
      expect(retryAfterMs(new Headers({ 'Retry-After': '3600' }))).toBe(10_000);
      expect(retryAfterMs(new Headers({ 'Retry-After': '0' }))).toBe(50);
    });
  });
});
