import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ackFirstHttpReceiver,
  SLACK_BODY_LIMIT_BYTES,
} from '../../../../adapters/slack/ack-first-receivers.js';
import { boltLogger } from '../../../../adapters/slack/bolt-logger.js';
import { silentLogger } from '../../../../src/core/ports/logger.js';

/** Body bytes the server's handler saw for the latest request. */
let read = 0;

/**
 * POSTs `total` bytes in 64 KiB chunks: chunked, or with a Content-Length when `declared`
 * (`declared: 'only'` sends the headers and no byte of the body).
 */
function post(
  port: number,
  total: number,
  declared: boolean | 'only' = false,
): Promise<{ status: number; connection: string | undefined; bodyBytesRead: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/slack/events',
        method: 'POST',
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          ...(declared !== false && { 'Content-Length': String(total) }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            connection: res.headers.connection,
            bodyBytesRead: read,
          }),
        );
      },
    );
    // The server may close while the rest is still being written: its answer is what counts.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    let answered = false;
    req.on('response', () => (answered = true));
    let sent = 0;
    const write = () => {
      while (sent < total && !answered) {
        const chunk = Buffer.alloc(Math.min(64 * 1024, total - sent), 0x20);
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      if (!answered) req.end();
    };
    if (declared === 'only') req.flushHeaders();
    else write();
  });
}

describe('ackFirstHttpReceiver', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const receiver = ackFirstHttpReceiver(
      { signingSecret: 'unit-secret', logger: boltLogger(silentLogger) },
      silentLogger,
    );
    server = createServer((req, res) => {
      read = 0;
      req.on('data', (data: Buffer) => (read += data.length));
      void receiver.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  describe('when a body declares more than the cap', () => {
    it('answers 413 before reading any of it and closes the connection', async () => {
      const answer = await post(port, 2 * SLACK_BODY_LIMIT_BYTES, 'only');
      expect(answer.status).toBe(413);
      expect(answer.connection).toBe('close');
      expect(answer.bodyBytesRead).toBe(0);
    });
  });

  describe('when a chunked body streams past the cap', () => {
    it('answers 413 and stops reading at the cap', async () => {
      const answer = await post(port, 3 * SLACK_BODY_LIMIT_BYTES);
      expect(answer.status).toBe(413);
      expect(answer.connection).toBe('close');
      expect(answer.bodyBytesRead).toBeLessThan(2 * SLACK_BODY_LIMIT_BYTES);
    });
  });

  describe('when a body under the cap is not signed', () => {
    it('reads it and answers 401', async () => {
      expect((await post(port, 128 * 1024, true)).status).toBe(401);
    });
  });
});
