import { describe, expect, it } from 'vitest';
import {
  logLines,
  mergeByTime,
  type LogLineFrame,
} from '../../../../src/infra/compose/log-lines.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
}

async function* chunks(...parts: Buffer[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield await Promise.resolve(part);
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of source) all.push(item);
  return all;
}

const text = (lines: readonly LogLineFrame[]) =>
  lines.map((l) => `${l.stream}:${l.bytes.toString()}`);

/** Demultiplexes a merged stream back into `stream:line` strings. */
function demux(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const size = bytes.readUInt32BE(offset + 4);
    out.push(`${bytes[offset] ?? 0}:${bytes.subarray(offset + 8, offset + 8 + size).toString()}`);
    offset += 8 + size;
  }
  return out;
}

describe('logLines', () => {
  it('cuts multiplexed frames into whole lines, whatever the chunk boundaries', async () => {
    const bytes = Buffer.concat([
      frame(1, '2026-01-01T00:00:01.5Z first\n2026-01-01T00:00:02Z sec'),
      frame(2, '2026-01-01T00:00:02.1Z oops\n'),
      frame(1, 'ond\n'),
    ]);
    const lines = await collect(
      logLines(chunks(bytes.subarray(0, 5), bytes.subarray(5, 30), bytes.subarray(30)), true),
    );
    expect(text(lines)).toEqual([
      '1:2026-01-01T00:00:01.5Z first\n',
      '2:2026-01-01T00:00:02.1Z oops\n',
      '1:2026-01-01T00:00:02Z second\n',
    ]);
    expect(lines.map((l) => l.key)).toEqual([
      '2026-01-01T00:00:01.500000000',
      '2026-01-01T00:00:02.100000000',
      '2026-01-01T00:00:02.000000000',
    ]);
  });

  it('reads a TTY container’s raw bytes as stdout and ends an unterminated last line', async () => {
    const lines = await collect(
      logLines(chunks(Buffer.from('2026-01-01T00:00:01Z a\r\n2026-01-01T00:00:02Z b')), false),
    );
    expect(text(lines)).toEqual(['1:2026-01-01T00:00:01Z a\r\n', '1:2026-01-01T00:00:02Z b\n']);
  });

  it('names the container after the timestamp of each line, as details=1 attributes', async () => {
    const lines = await collect(
      logLines(chunks(frame(1, '2026-01-01T00:00:01Z ready\n')), true, '0123456789ab'),
    );
    expect(text(lines)).toEqual([
      '1:2026-01-01T00:00:01Z com.docker.compose.container=0123456789ab ready\n',
    ]);
  });
});

describe('mergeByTime', () => {
  it('orders the lines of several containers by their timestamps, as multiplexed frames', async () => {
    const a = logLines(
      chunks(frame(1, '2026-01-01T00:00:01Z a1\n2026-01-01T00:00:03Z a3\n')),
      true,
    );
    const b = logLines(
      chunks(frame(2, '2026-01-01T00:00:02Z b2\n'), frame(1, '2026-01-01T00:00:04Z b4\n')),
      true,
    );
    const merged = Buffer.concat(await collect(mergeByTime([a, b])));
    expect(demux(merged)).toEqual([
      '1:2026-01-01T00:00:01Z a1\n',
      '2:2026-01-01T00:00:02Z b2\n',
      '1:2026-01-01T00:00:03Z a3\n',
      '1:2026-01-01T00:00:04Z b4\n',
    ]);
  });

  it('ends at once when no container has logged anything', async () => {
    expect(await collect(mergeByTime([logLines(chunks(), true)]))).toEqual([]);
  });
});
