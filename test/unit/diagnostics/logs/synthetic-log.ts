import { frame } from './log-fixtures.js';

/** What one block of the synthetic log holds; the counts scale with the number of blocks. */
export const BLOCK = {
  lines: 10_000,
  /** Every 10th line, on stderr. */
  refused: 1_000,
  /** Line 5 of every hundred. */
  timeouts: 100,
  /** Line 7 of every hundred, each naming another tenant: 100 distinct groups per block. */
  tenants: 100,
} as const;

const STAMP = '2026-11-22T10:10:52.070245101Z ';

// Letters only, so normalising never merges two tenants: 0 → "aa", 1 → "ab", …
const tenant = (index: number): string =>
  String.fromCharCode(97 + Math.floor(index / 26)) + String.fromCharCode(97 + (index % 26));

function lineOf(index: number): Uint8Array {
  if (index % 10 === 0) {
    return frame(
      2,
      `${STAMP}Error: connect ECONNREFUSED 127.0.0.${index % 7}:5432 after ${index % 997}ms\n`,
    );
  }
  if (index % 100 === 5) return frame(1, `${STAMP}WARN request timed out after ${index}ms\n`);
  if (index % 100 === 7)
    return frame(1, `${STAMP}ERROR cache miss for tenant ${tenant(Math.floor(index / 100))}\n`);
  const json = {
    level: 30,
    time: 1_795_000_000_000 + index,
    msg: `GET /api/cases/${index} 200 ${index % 50}ms`,
    reqId: `req-${index}`,
  };
  return frame(1, `${STAMP}${JSON.stringify(json)}\n`);
}

/** One block of Docker-framed lines, built once and then repeated. */
export function syntheticBlock(): Uint8Array {
  return Buffer.concat(Array.from({ length: BLOCK.lines }, (_, index) => lineOf(index)));
}

/**
 * `blocks` copies of the block as fresh chunks of `chunkSize` bytes (an odd size, so headers and
 * lines fall across chunk boundaries), made as they are read: nothing is kept, as with a socket.
 */
export function* syntheticChunks(
  block: Uint8Array,
  blocks: number,
  chunkSize = 65_537,
): Generator<Uint8Array> {
  const total = block.length * blocks;
  for (let at = 0; at < total; at += chunkSize) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkSize, total - at));
    let filled = 0;
    while (filled < chunk.length) {
      const offset = (at + filled) % block.length;
      filled += Buffer.from(
        block.buffer,
        block.byteOffset + offset,
        Math.min(block.length - offset, chunk.length - filled),
      ).copy(chunk, filled);
    }
    yield chunk;
  }
}
