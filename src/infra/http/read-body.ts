import type { IncomingMessage } from 'node:http';

/** The body went past the limit; what came so far is dropped and the rest left unread. */
export class BodyTooLarge extends Error {}

/** The body, or BodyTooLarge past the limit; rejects when the client goes away before the end. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      reject(new BodyTooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client went away before the body ended'));
    });
  });
}
