import type { IncomingMessage, ServerResponse } from 'node:http';

/** A JSON answer (the acknowledgement, an action's `ephemeral_text`). */
export function answerJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A bare refusal; what is left of the body is read and thrown away. */
export function refuse(req: IncomingMessage, res: ServerResponse, status: number): void {
  req.resume();
  answerJson(res, status, {});
}
