import { describe, expect, it } from 'vitest';
import { buildExcerpt } from '../../../../src/diagnostics/logs/build-excerpt.js';
import { logPatterns } from '../../../../src/diagnostics/logs/log-patterns.js';
import { createRedactor } from '../../../../src/lib/redact.js';
import { parsed } from './log-fixtures.js';

const patterns = logPatterns();
const at = (second: number): string =>
  `2026-11-22T10:10:${String(second).padStart(2, '0')}.000000000Z`;

describe('buildExcerpt', () => {
  describe('when the same error repeats with different numbers', () => {
    const refused = Array.from(
      { length: 212 },
      (_, i) => `${at(i % 60)} Error: connect ECONNREFUSED 127.0.0.${i % 5}:5432 after ${i}ms`,
    );

    it('collapses the repeats into one group with a count', async () => {
      const excerpt = await buildExcerpt(parsed(...refused), { patterns });

      expect(excerpt.groups).toEqual([
        {
          key: 'Error: connect ECONNREFUSED <ip> after <n>ms',
          sample: 'Error: connect ECONNREFUSED 127.0.0.0:5432 after 0ms',
          count: 212,
          firstSeen: new Date('2026-11-22T10:10:00Z'),
          lastSeen: new Date('2026-11-22T10:10:59Z'),
          level: 'error',
          patterns: ['ERROR', 'ECONNREFUSED', 'database connection errors'],
        },
      ]);
      expect(excerpt.matchedLines).toBe(212);
    });

    it('shows them as one excerpt line ending in the count', async () => {
      const excerpt = await buildExcerpt(parsed(...refused), { patterns });

      expect(excerpt.excerpt.lines).toEqual([
        '2026-11-22T10:10:00.000Z Error: connect ECONNREFUSED 127.0.0.0:5432 after 0ms … ×212',
      ]);
    });

    it('counts the lines per runbook pattern, most first, without patterns never seen', async () => {
      const excerpt = await buildExcerpt(
        parsed(...refused, 'WARN request timed out', 'WARN request timed out'),
        { patterns },
      );

      expect(excerpt.patternCounts).toEqual([
        { name: 'ERROR', count: 212 },
        { name: 'ECONNREFUSED', count: 212 },
        { name: 'database connection errors', count: 212 },
        { name: 'Timeout', count: 2 },
      ]);
    });
  });

  describe('when interesting lines sit among ordinary ones', () => {
    const log = [
      'GET /a 200',
      'GET /b 200',
      'GET /c 200',
      'GET /d 200',
      'ERROR db pool exhausted',
      'GET /e 200',
      'GET /f 200',
      'GET /g 200',
      'GET /h 200',
      'GET /i 200',
      'GET /j 200',
      'FATAL out of memory',
      'GET /k 200',
    ];

    it('shows each with the context lines before and after it, and marks the gaps', async () => {
      const excerpt = await buildExcerpt(parsed(...log), { patterns, context: 2 });

      expect(excerpt.excerpt.lines).toEqual([
        'GET /c 200',
        'GET /d 200',
        'ERROR db pool exhausted',
        'GET /e 200',
        'GET /f 200',
        '…',
        'GET /i 200',
        'GET /j 200',
        'FATAL out of memory',
        'GET /k 200',
      ]);
      expect(excerpt).toMatchObject({ linesScanned: 13, matchedLines: 2 });
    });

    it('runs context windows together without a gap when they touch', async () => {
      const excerpt = await buildExcerpt(parsed('a', 'ERROR one', 'b', 'c', 'ERROR two', 'd'), {
        patterns,
        context: 2,
      });

      expect(excerpt.excerpt.lines).toEqual(['a', 'ERROR one', 'b', 'c', 'ERROR two', 'd']);
    });

    it('shows only the interesting lines with context 0', async () => {
      const excerpt = await buildExcerpt(parsed(...log), { patterns, context: 0 });

      expect(excerpt.excerpt.lines).toEqual([
        'ERROR db pool exhausted',
        '…',
        'FATAL out of memory',
      ]);
    });
  });

  describe('when JSON lines carry their level', () => {
    it('treats error and fatal lines as interesting and shows their level', async () => {
      const excerpt = await buildExcerpt(
        parsed(
          `${at(1)} {"level":30,"msg":"listening"}`,
          `${at(2)} {"level":50,"msg":"request failed","err":{"message":"socket hang up"}}`,
        ),
        { patterns, context: 0 },
      );

      expect(excerpt.excerpt.lines).toEqual([
        '2026-11-22T10:10:02.000Z ERROR request failed: socket hang up',
      ]);
      expect(excerpt.patternCounts).toEqual([{ name: 'ERROR', count: 1 }]);
    });
  });

  describe('when a grep is given', () => {
    it('keeps only matching lines, and counts patterns over those lines only', async () => {
      const excerpt = await buildExcerpt(
        parsed('ERROR unrelated', 'user 42 logged in', 'user 7 logged out', 'ERROR other'),
        {
          patterns,
          grep: /logged/,
          context: 0,
        },
      );

      expect(excerpt.matchedLines).toBe(2);
      expect(excerpt.groups.map(({ key, count }) => [key, count])).toEqual([
        ['user <n> logged in', 1],
        ['user <n> logged out', 1],
      ]);
      expect(excerpt.patternCounts).toEqual([]);
    });

    it('matches what the application wrote, JSON fields included', async () => {
      const excerpt = await buildExcerpt(
        parsed(
          '{"level":30,"msg":"hi","tenant":"acme"}',
          '{"level":30,"msg":"hi","tenant":"other"}',
        ),
        {
          patterns,
          grep: /"tenant":"acme"/,
        },
      );

      expect(excerpt.matchedLines).toBe(1);
    });

    it('is not thrown off by a global flag on a runbook pattern', async () => {
      const excerpt = await buildExcerpt(parsed('match one', 'match two', 'match three'), {
        patterns: [{ name: 'match', regex: /match/g }],
      });

      expect(excerpt.patternCounts).toEqual([{ name: 'match', count: 3 }]);
    });
  });

  describe('when a minimum level is given', () => {
    const mixed = [
      'DEBUG cache warm',
      'INFO started',
      'WARN slow query',
      'ERROR query failed',
      'no level here',
    ];

    it('keeps lines at that level or above', async () => {
      const excerpt = await buildExcerpt(parsed(...mixed), { patterns, level: 'warn', context: 0 });

      expect(excerpt.excerpt.lines).toEqual(['WARN slow query', 'ERROR query failed']);
    });

    it('needs both the grep and the level when both are given', async () => {
      const excerpt = await buildExcerpt(parsed(...mixed), {
        patterns,
        level: 'warn',
        grep: /query failed/,
        context: 0,
      });

      expect(excerpt.excerpt.lines).toEqual(['ERROR query failed']);
    });
  });

  describe('when the byte cap is reached', () => {
    it('stops before the line that would cross it and says where it stopped', async () => {
      const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(4, '0')}`); // 10 bytes each with \n

      const excerpt = await buildExcerpt(parsed(...lines), { patterns, maxBytes: 255 });

      expect(excerpt.truncated).toEqual({ reason: 'byte-cap', bytesScanned: 250, maxBytes: 255 });
      expect(excerpt).toMatchObject({ linesScanned: 25, bytesScanned: 250 });
    });

    it('does not claim a cut when the log fits exactly', async () => {
      const excerpt = await buildExcerpt(parsed('line 0001', 'line 0002'), {
        patterns,
        maxBytes: 20,
      });

      expect(excerpt.truncated).toBeUndefined();
      expect(excerpt.bytesScanned).toBe(20);
    });
  });

  describe('when there are more distinct groups than maxGroups', () => {
    it('keeps the first ones and counts the rest as other lines', async () => {
      const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];

      const excerpt = await buildExcerpt(
        parsed(...words.map((word) => `ERROR ${word} failed`), 'ERROR alpha failed'),
        {
          patterns,
          maxGroups: 3,
        },
      );

      expect(excerpt.groups.map(({ sample, count }) => [sample, count])).toEqual([
        ['ERROR alpha failed', 2],
        ['ERROR bravo failed', 1],
        ['ERROR charlie failed', 1],
      ]);
      expect(excerpt.otherLines).toBe(2);
      expect(excerpt.matchedLines).toBe(6);
    });
  });

  describe('when the excerpt fills up', () => {
    it('stops at maxExcerptLines and counts the interesting lines left out', async () => {
      const lines = Array.from(
        { length: 50 },
        (_, i) =>
          `ERROR failure ${'abcdefghijklmnopqrstuvwxyz'[i % 26] ?? ''}${i >= 26 ? 'x' : ''} here`,
      );

      const excerpt = await buildExcerpt(parsed(...lines), {
        patterns,
        maxExcerptLines: 10,
        context: 1,
      });

      expect(excerpt.excerpt.lines).toHaveLength(10);
      expect(excerpt.excerpt.omittedLines).toBe(40);
      expect(excerpt.matchedLines).toBe(50);
    });

    it('gives up context before the interesting line itself', async () => {
      const excerpt = await buildExcerpt(parsed('ERROR first', 'x', 'y', 'z', 'ERROR second'), {
        patterns,
        maxExcerptLines: 4,
        context: 2,
      });

      expect(excerpt.excerpt.lines).toEqual(['ERROR first', 'x', '…', 'ERROR second']);
    });
  });

  describe('when lines of several tasks arrive interleaved', () => {
    it('keeps their order and reports the earliest and latest time', async () => {
      const excerpt = await buildExcerpt(
        parsed(`${at(30)} ERROR task b`, `${at(10)} ERROR task a`, `${at(40)} ok`),
        {
          patterns,
          context: 0,
        },
      );

      expect(excerpt.excerpt.lines).toEqual([
        '2026-11-22T10:10:30.000Z ERROR task b',
        '2026-11-22T10:10:10.000Z ERROR task a',
      ]);
      expect(excerpt.firstTime).toEqual(new Date('2026-11-22T10:10:10Z'));
      expect(excerpt.lastTime).toEqual(new Date('2026-11-22T10:10:40Z'));
    });
  });

  describe('when lines hold secrets', () => {
    it('redacts excerpt lines, samples and keys', async () => {
      const excerpt = await buildExcerpt(
        parsed(
          'INFO connecting to postgres://tas:hunter2@db:5432/tas',
          'ERROR auth failed for token=abc123 with key s3cr3t-pass',
        ),
        { patterns, redact: createRedactor(['s3cr3t-pass']) },
      );

      const text = JSON.stringify(excerpt);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('abc123');
      expect(text).not.toContain('s3cr3t-pass');
      expect(excerpt.excerpt.lines).toEqual([
        'INFO connecting to postgres://tas:[REDACTED]@db:5432/tas',
        'ERROR auth failed for token=[REDACTED] with key [REDACTED]',
      ]);
    });

    it('collapses lines that differ only in a secret', async () => {
      const excerpt = await buildExcerpt(
        parsed(
          'ERROR login failed token=abcdef',
          'ERROR login failed token=zyxwvu',
          'ERROR login failed token=qwerty',
        ),
        { patterns },
      );

      expect(excerpt.groups.map(({ key, count }) => [key, count])).toEqual([
        ['ERROR login failed token=[REDACTED]', 3],
      ]);
      expect(excerpt.excerpt.lines).toEqual(['ERROR login failed token=[REDACTED] … ×3']);
    });

    it('redacts the built-in credential shapes when no redactor is given', async () => {
      const excerpt = await buildExcerpt(parsed('ERROR bad token xoxb-1234567890-abcdefghijkl'), {
        patterns,
      });

      expect(excerpt.groups[0]?.sample).toBe('ERROR bad token [REDACTED:slack-token]');
    });
  });

  describe('when a line is very long', () => {
    it('cuts excerpt lines and samples at maxLineChars', async () => {
      const excerpt = await buildExcerpt(parsed(`ERROR ${'x'.repeat(1000)}`), {
        patterns,
        maxLineChars: 40,
      });

      expect(excerpt.excerpt.lines[0]).toHaveLength(40);
      expect(excerpt.excerpt.lines[0]?.endsWith('…')).toBe(true);
      expect(excerpt.groups[0]?.sample).toHaveLength(40);
    });
  });

  it('reports an empty log as nothing found', async () => {
    expect(await buildExcerpt(parsed(), { patterns })).toEqual({
      linesScanned: 0,
      bytesScanned: 0,
      matchedLines: 0,
      patternCounts: [],
      groups: [],
      otherLines: 0,
      excerpt: { lines: [], omittedLines: 0 },
    });
  });
});
