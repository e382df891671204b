import { describe, expect, it } from 'vitest';
import { buildExcerpt } from '../../../../src/diagnostics/logs/build-excerpt.js';
import { logPatterns } from '../../../../src/diagnostics/logs/log-patterns.js';
import { readLogBatches, readLogSource } from '../../../../src/diagnostics/logs/read-log-source.js';
import { collect, concat, cutEvery, fakeLogSource, frame } from './log-fixtures.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('readLogSource', () => {
  describe('when the source is multiplexed', () => {
    it('demultiplexes, cuts and parses the lines of both streams', async () => {
      const bytes = concat(
        frame(1, '2026-11-22T10:10:52.070245101Z out 6\n'),
        frame(2, '2026-11-22T10:10:53.090442945Z {"level":50,"msg":"err 7"}\n'),
      );
      const source = fakeLogSource('multiplexed', cutEvery(bytes, 5));

      const lines = await collect(readLogSource(source));

      expect(lines).toEqual([
        {
          stream: 'stdout',
          time: new Date('2026-11-22T10:10:52.070Z'),
          message: 'out 6',
          raw: 'out 6',
          format: 'text',
          bytes: 37,
        },
        {
          stream: 'stderr',
          time: new Date('2026-11-22T10:10:53.090Z'),
          level: 'error',
          message: 'err 7',
          raw: '{"level":50,"msg":"err 7"}',
          format: 'json',
          bytes: 58,
        },
      ]);
    });

    it('reads TTY output that slipped in as raw text', async () => {
      const lines = await collect(
        readLogSource(fakeLogSource('multiplexed', [encode('tty 5\r\ntty 6\r\n')])),
      );

      expect(lines.map(({ raw }) => raw)).toEqual(['tty 5', 'tty 6']);
    });
  });

  describe('when the source is raw (a TTY service)', () => {
    it('skips demultiplexing, even for bytes that look like a header', async () => {
      const lines = await collect(
        readLogSource(fakeLogSource('raw', [encode('\u0001\u0000\u0000\u0000 odd\nok\n')])),
      );

      expect(lines.map(({ raw }) => raw)).toEqual(['\u0001\u0000\u0000\u0000 odd', 'ok']);
    });
  });

  describe('when maxBytes is reached', () => {
    const chunks = Array.from({ length: 100 }, (_, i) =>
      frame(1, `line ${String(i).padStart(4, '0')}\n`),
    );

    it('stops reading and closes the source', async () => {
      const source = fakeLogSource('multiplexed', chunks);

      const lines = await collect(readLogSource(source, { maxBytes: 95 }));

      expect(lines).toHaveLength(10);
      expect(source.chunksRead).toBe(10);
      expect(source.closes).toBe(1);
    });

    it('hands buildExcerpt the line that crosses the cap, so the excerpt says it was cut', async () => {
      const source = fakeLogSource('multiplexed', chunks);

      const excerpt = await buildExcerpt(readLogSource(source, { maxBytes: 95 }), {
        patterns: logPatterns(),
        maxBytes: 95,
      });

      expect(excerpt.truncated).toEqual({ reason: 'byte-cap', bytesScanned: 90, maxBytes: 95 });
      expect(source.closes).toBe(1);
    });
  });

  describe('when reading ends', () => {
    it('closes the source at the end of the log', async () => {
      const source = fakeLogSource('multiplexed', [frame(1, 'a\n')]);

      await collect(readLogSource(source));

      expect(source.closes).toBe(1);
    });

    it('closes the source when the consumer stops early', async () => {
      const source = fakeLogSource('multiplexed', [
        frame(1, 'a\n'),
        frame(1, 'b\n'),
        frame(1, 'c\n'),
      ]);

      for await (const line of readLogSource(source)) {
        if (line.raw === 'a') break;
      }

      expect(source.closes).toBe(1);
      expect(source.chunksRead).toBe(1);
    });

    it('closes the source when reading fails', async () => {
      let closes = 0;
      async function* failing(): AsyncGenerator<Uint8Array> {
        await Promise.resolve();
        yield frame(1, 'a\n');
        throw new Error('socket hang up');
      }
      const source = {
        framing: 'multiplexed' as const,
        chunks: failing(),
        close: () => void closes++,
      };

      await expect(collect(readLogSource(source))).rejects.toThrow('socket hang up');
      expect(closes).toBe(1);
    });
  });

  describe('when the lines are handed over a chunk at a time (readLogBatches)', () => {
    const text = Array.from({ length: 60 }, (_, i) =>
      i % 7 === 0
        ? `2026-11-22T10:10:${String(i % 60).padStart(2, '0')}.5Z {"level":50,"msg":"connect ECONNREFUSED ${i}"}\n`
        : `2026-11-22T10:10:${String(i % 60).padStart(2, '0')}.25Z GET /api/${i} 200\n`,
    );
    const chunks = cutEvery(concat(...text.map((line) => frame(streamFor(line), line))), 97);
    function streamFor(line: string): 1 | 2 {
      return line.includes('ECONNREFUSED') ? 2 : 1;
    }

    it('gives the same lines as one at a time, in the same order', async () => {
      const single = await collect(readLogSource(fakeLogSource('multiplexed', chunks)));
      const batches = await collect(readLogBatches(fakeLogSource('multiplexed', chunks)));

      expect(batches.flat()).toEqual(single);
      expect(batches.length).toBeLessThan(single.length);
    });

    it('gives buildExcerpt the same excerpt, cut at the same byte', async () => {
      const options = { patterns: logPatterns(), maxBytes: 2000 };
      const source = fakeLogSource('multiplexed', chunks);

      const fromBatches = await buildExcerpt(readLogBatches(source, { maxBytes: 2000 }), options);
      const fromLines = await buildExcerpt(
        readLogSource(fakeLogSource('multiplexed', chunks), { maxBytes: 2000 }),
        options,
      );

      expect(fromBatches).toEqual(fromLines);
      expect(fromBatches.truncated).toMatchObject({ reason: 'byte-cap', maxBytes: 2000 });
      expect(source.closes).toBe(1);
    });
  });
});
