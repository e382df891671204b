import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../../core/ports/logger.js';
import { READ_HEADERS } from './socket-proxy-routes.js';

/** What answering a client needs: where the Engine is and where refusals are logged. */
export interface ProxyExchange {
  readonly socketPath: string;
  readonly log: Logger;
}

/** A refusal in the Engine's error shape, logged; the connection closes if the body is unread. */
export function refuse(
  log: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
): void {
  // The whole target (headers are capped at 16 KiB): the logger redacts it, and a cut made
  // first could leave half a credential that no pattern recognises.
  log.warn({ method: req.method, url: req.url, status }, message);
  if (res.headersSent || res.destroyed) return void res.destroy();
  // An unread body would be read and thrown away; closing is cheaper and ends any trick.
  if (!req.complete) res.setHeader('Connection', 'close');
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify({ message: `tas-chatops socket proxy: ${message}` })}\n`);
}

/** Sends a request to the Engine and pipes its answer back as it comes (logs may follow). */
export function forward(
  { socketPath, log }: ProxyExchange,
  req: IncomingMessage,
  res: ServerResponse,
  target: {
    readonly path: string;
    readonly headers: Record<string, string>;
    readonly body?: Buffer;
  },
): void {
  const upstream = request(
    {
      socketPath,
      method: req.method ?? 'GET',
      path: target.path,
      headers: { ...target.headers, host: 'docker' },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent)
      refuse(log, req, res, 502, `the Engine at ${socketPath} is unreachable (${error.message})`);
    else res.destroy();
  });
  res.on('close', () => upstream.destroy());
  upstream.end(target.body);
}

/** A read goes on as it came, with only the headers a read needs. */
export function forwardRead(
  exchange: ProxyExchange,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const headers: Record<string, string> = {};
  for (const name of READ_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  forward(exchange, req, res, { path: req.url ?? '/', headers });
}
