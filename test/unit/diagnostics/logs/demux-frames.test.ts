import { describe, expect, it } from 'vitest';
import { demuxFrames } from '../../../../src/diagnostics/logs/demux-frames.js';
import type { LogChunk } from '../../../../src/diagnostics/logs/log-line.js';
import { collect, concat, cutEvery, frame, streamOf } from './log-fixtures.js';

/** Joins consecutive payload pieces of the same stream, as a reader would see them. */
function byStream(chunks: LogChunk[]): { stream: string; text: string }[] {
  const joined: { stream: string; text: string }[] = [];
  for (const { stream, bytes } of chunks) {
    const text = Buffer.from(bytes).toString('utf8');
    const last = joined.at(-1);
    if (last?.stream === stream) last.text += text;
    else joined.push({ stream, text });
  }
  return joined;
}

const SAMPLE = concat(
  frame(1, '2026-11-22T10:10:52.070245101Z out 6\n'),
  frame(1, '2026-11-22T10:10:53.090273023Z out 7\n'),
  frame(2, '2026-11-22T10:10:53.090442945Z err 7\n'),
);

describe('demuxFrames', () => {
  describe('when frames arrive whole', () => {
    it('tags stdout and stderr payloads with their stream, headers removed', async () => {
      const chunks = await collect(demuxFrames(streamOf(SAMPLE)));

      expect(byStream(chunks)).toEqual([
        {
          stream: 'stdout',
          text: '2026-11-22T10:10:52.070245101Z out 6\n2026-11-22T10:10:53.090273023Z out 7\n',
        },
        { stream: 'stderr', text: '2026-11-22T10:10:53.090442945Z err 7\n' },
      ]);
    });

    it('writes stdin frames (type 0) to stdout, as the Engine does', async () => {
      const chunks = await collect(demuxFrames(streamOf(frame(0, 'typed\n'))));

      expect(byStream(chunks)).toEqual([{ stream: 'stdout', text: 'typed\n' }]);
    });
  });

  describe('when chunk boundaries fall inside headers and payloads', () => {
    it.each([1, 3, 7, 8, 9, 13])(
      'reassembles the same streams from %i-byte chunks',
      async (size) => {
        const whole = byStream(await collect(demuxFrames(streamOf(SAMPLE))));

        const cut = byStream(await collect(demuxFrames(streamOf(...cutEvery(SAMPLE, size)))));

        expect(cut).toEqual(whole);
      },
    );

    it('hands on a frame larger than any chunk piece by piece, without waiting for its end', async () => {
      const big = frame(2, 'x'.repeat(100_000));

      const chunks = await collect(demuxFrames(streamOf(...cutEvery(big, 4096))));

      expect(chunks.length).toBeGreaterThan(20);
      expect(chunks.every(({ stream }) => stream === 'stderr')).toBe(true);
      expect(chunks.reduce((sum, { bytes }) => sum + bytes.length, 0)).toBe(100_000);
    });

    it('skips empty frames and empty chunks', async () => {
      const chunks = await collect(
        demuxFrames(streamOf(frame(1, ''), new Uint8Array(0), frame(2, 'e\n'))),
      );

      expect(byStream(chunks)).toEqual([{ stream: 'stderr', text: 'e\n' }]);
    });
  });

  describe('when the output came from a TTY (no framing)', () => {
    it('passes the bytes through raw as stdout', async () => {
      const tty = new TextEncoder().encode('tty 5\r\ntty 6\r\n');

      const chunks = await collect(demuxFrames(streamOf(...cutEvery(tty, 3))));

      expect(byStream(chunks)).toEqual([{ stream: 'stdout', text: 'tty 5\r\ntty 6\r\n' }]);
    });

    it('passes through TTY output shorter than a header', async () => {
      const chunks = await collect(demuxFrames(streamOf(new TextEncoder().encode('ok\n'))));

      expect(byStream(chunks)).toEqual([{ stream: 'stdout', text: 'ok\n' }]);
    });

    it('falls back to raw from the first header that cannot be one', async () => {
      const bytes = concat(frame(1, 'framed\n'), new TextEncoder().encode('then raw text\n'));

      const chunks = await collect(demuxFrames(streamOf(...cutEvery(bytes, 5))));

      expect(byStream(chunks)).toEqual([{ stream: 'stdout', text: 'framed\nthen raw text\n' }]);
    });
  });

  describe('when the stream ends inside a frame', () => {
    it('keeps the payload received and drops a header cut short', async () => {
      const bytes = concat(frame(1, 'whole\n'), frame(2, 'cut').subarray(0, 5));

      const chunks = await collect(demuxFrames(streamOf(bytes)));

      expect(byStream(chunks)).toEqual([{ stream: 'stdout', text: 'whole\n' }]);
    });
  });
});
