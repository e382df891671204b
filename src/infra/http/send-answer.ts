import type { ServerResponse } from 'node:http';

/** An answer that no cache keeps and no browser sniffs. */
export function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'application/json; charset=utf-8',
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

/** A JSON body and its newline. */
export const json = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, `${JSON.stringify(value)}\n`);
