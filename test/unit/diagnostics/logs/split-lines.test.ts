import { describe, expect, it } from 'vitest';
import type { LogChunk, LogStream } from '../../../../src/diagnostics/logs/log-line.js';
import { splitLines } from '../../../../src/diagnostics/logs/split-lines.js';
import { collect, streamOf } from './log-fixtures.js';

const chunk = (text: string | Uint8Array, stream: LogStream = 'stdout'): LogChunk => ({
  stream,
  bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text,
});

describe('splitLines', () => {
  describe('when lines end with \\n or \\r\\n', () => {
    it('yields each line without its line break, counting the bytes it took', async () => {
      const lines = await collect(splitLines(streamOf(chunk('one\r\ntwo\n\nthree\n'))));

      expect(lines).toEqual([
        { stream: 'stdout', text: 'one', bytes: 5 },
        { stream: 'stdout', text: 'two', bytes: 4 },
        { stream: 'stdout', text: '', bytes: 1 },
        { stream: 'stdout', text: 'three', bytes: 6 },
      ]);
    });
  });

  describe('when a line spans chunks', () => {
    it('joins its pieces, including a \\r\\n split between two chunks', async () => {
      const lines = await collect(
        splitLines(streamOf(chunk('par'), chunk('tial li'), chunk('ne\r'), chunk('\nnext\n'))),
      );

      expect(lines.map(({ text, bytes }) => [text, bytes])).toEqual([
        ['partial line', 14],
        ['next', 5],
      ]);
    });

    it('joins a multi-byte character cut between chunks', async () => {
      const bytes = new TextEncoder().encode('café ☕\n');

      const lines = await collect(
        splitLines(
          streamOf(
            chunk(bytes.subarray(0, 4)),
            chunk(bytes.subarray(4, 8)),
            chunk(bytes.subarray(8)),
          ),
        ),
      );

      expect(lines.map(({ text }) => text)).toEqual(['café ☕']);
    });

    it('keeps one partial line per stream when stdout and stderr interleave', async () => {
      const lines = await collect(
        splitLines(
          streamOf(
            chunk('out sta'),
            chunk('err sta', 'stderr'),
            chunk('rt\n'),
            chunk('rt\n', 'stderr'),
          ),
        ),
      );

      expect(lines.map(({ stream, text }) => `${stream}: ${text}`)).toEqual([
        'stdout: out start',
        'stderr: err start',
      ]);
    });
  });

  describe('when the input ends without a line break', () => {
    it('yields the last line as it is', async () => {
      const lines = await collect(splitLines(streamOf(chunk('done\nno newline'))));

      expect(lines.map(({ text, bytes }) => [text, bytes])).toEqual([
        ['done', 5],
        ['no newline', 10],
      ]);
    });
  });

  describe('when a line is longer than the cap', () => {
    it('keeps its start, says how many bytes were dropped and still counts them all', async () => {
      const lines = await collect(
        splitLines(streamOf(chunk(`${'a'.repeat(30)}\nshort\n`)), { maxLineBytes: 10 }),
      );

      expect(lines).toEqual([
        { stream: 'stdout', text: 'aaaaaaaaaa', bytes: 31, dropped: 20 },
        { stream: 'stdout', text: 'short', bytes: 6 },
      ]);
    });

    it('does the same for a long line spread over many chunks', async () => {
      const pieces = Array.from({ length: 50 }, () => chunk('b'.repeat(1000)));

      const lines = await collect(
        splitLines(streamOf(...pieces, chunk('\n')), { maxLineBytes: 16 }),
      );

      expect(lines).toEqual([
        { stream: 'stdout', text: 'b'.repeat(16), bytes: 50_001, dropped: 49_984 },
      ]);
    });

    it('cuts at a character boundary, never inside a multi-byte character', async () => {
      const lines = await collect(splitLines(streamOf(chunk('ab☕☕\n')), { maxLineBytes: 4 }));

      expect(lines[0]).toMatchObject({ text: 'ab', dropped: 6 });
    });
  });
});
