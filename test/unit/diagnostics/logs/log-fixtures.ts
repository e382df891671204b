import type { LogSource } from '../../../../src/core/ports/container-platform.js';
import type { LogLine, LogStream, ParsedLine } from '../../../../src/diagnostics/logs/log-line.js';
import { parseLogLine } from '../../../../src/diagnostics/logs/parse-log-line.js';

const encoder = new TextEncoder();

/** One Docker frame: `[type, 0, 0, 0, size BE]` then the payload. */
export function frame(type: 0 | 1 | 2, payload: string | Uint8Array): Uint8Array {
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const bytes = new Uint8Array(8 + body.length);
  bytes[0] = type;
  new DataView(bytes.buffer).setUint32(4, body.length);
  bytes.set(body, 8);
  return bytes;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/** The same bytes cut into pieces of `size` (the last one shorter). */
export function cutEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.slice(at, at + size));
  return pieces;
}

export async function* streamOf<T>(...items: T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export function line(text: string, stream: LogStream = 'stdout'): LogLine {
  return { stream, text, bytes: Buffer.byteLength(text) + 1 };
}

/** Text lines as the pipeline would parse them, one byte count per line plus its `\n`. */
export function parsed(...texts: string[]): AsyncGenerator<ParsedLine> {
  return streamOf(...texts.map((text) => parseLogLine(line(text))));
}

export interface FakeLogSource extends LogSource {
  readonly closes: number;
  readonly chunksRead: number;
}

/** A LogSource over fixed or generated chunks, counting how often it was closed and read. */
export function fakeLogSource(
  framing: LogSource['framing'],
  chunks: Iterable<Uint8Array>,
): FakeLogSource {
  let closes = 0;
  let chunksRead = 0;
  async function* read(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) {
      chunksRead++;
      await Promise.resolve();
      yield chunk;
    }
  }
  return {
    framing,
    chunks: read(),
    close: () => {
      closes++;
    },
    get closes() {
      return closes;
    },
    get chunksRead() {
      return chunksRead;
    },
  };
}
