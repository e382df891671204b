import { describe, expect, it } from 'vitest';
import { buildExcerpt } from '../../../../src/diagnostics/logs/build-excerpt.js';
import { logPatterns } from '../../../../src/diagnostics/logs/log-patterns.js';
import { parsed } from './log-fixtures.js';

const patterns = logPatterns();
const at = (second: number): string =>
  `2026-11-22T10:10:${String(second).padStart(2, '0')}.000000000Z`;
const task = (id: string) =>
  `com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=${id}`;

const mixed = [
  'INFO request 1 served',
  'INFO request 2 served',
  'ERROR query failed on orders',
  'INFO request 3 served',
  'WARN slow query on orders',
  'INFO request 4 served',
  'ERROR connect ECONNREFUSED 127.0.0.1:5432',
];

describe('buildExcerpt', () => {
  describe('when a level is given', () => {
    it('shows only lines at that level or above, with no context around them', async () => {
      const excerpt = await buildExcerpt(parsed(...mixed), { patterns, level: 'error' });

      expect(excerpt.excerpt.lines).toEqual([
        'ERROR query failed on orders',
        '…',
        'ERROR connect ECONNREFUSED 127.0.0.1:5432',
      ]);
    });

    it('shows context lines when asked for them', async () => {
      const excerpt = await buildExcerpt(parsed(...mixed), {
        patterns,
        level: 'error',
        context: 1,
      });

      expect(excerpt.excerpt.lines).toEqual([
        'INFO request 2 served',
        'ERROR query failed on orders',
        'INFO request 3 served',
        '…',
        'INFO request 4 served',
        'ERROR connect ECONNREFUSED 127.0.0.1:5432',
      ]);
    });
  });

  describe('when a grep is given', () => {
    it('counts runbook patterns over the matching lines only', async () => {
      const excerpt = await buildExcerpt(parsed(...mixed), { patterns, grep: /orders/ });

      expect(excerpt.patternCounts).toEqual([{ name: 'ERROR', count: 1 }]);
      expect(excerpt.matchedLines).toBe(2);
      expect(excerpt.linesScanned).toBe(7);
    });

    it('groups the matching lines only', async () => {
      const excerpt = await buildExcerpt(parsed(...mixed, ...mixed), { patterns, grep: /served/ });

      expect(excerpt.groups.map(({ key, count }) => [key, count])).toEqual([
        ['INFO request <n> served', 8],
      ]);
    });

    it('keeps no lines for a quiet window: a filter that matches nothing says so', async () => {
      const excerpt = await buildExcerpt(parsed(...mixed), {
        patterns,
        grep: /nowhere/,
        recentLines: 50,
      });

      expect(excerpt.matchedLines).toBe(0);
      expect(excerpt.recent).toBeUndefined();
    });
  });

  describe('when no filter is given', () => {
    it('shows two lines of context around each line of interest', async () => {
      const excerpt = await buildExcerpt(parsed(...mixed.slice(0, 5)), { patterns });

      expect(excerpt.excerpt.lines).toEqual([
        'INFO request 1 served',
        'INFO request 2 served',
        'ERROR query failed on orders',
        'INFO request 3 served',
        'WARN slow query on orders',
      ]);
    });
  });

  describe('when nothing is of interest and no filter is given', () => {
    const quiet = Array.from({ length: 10 }, (_, i) => `${at(i)} INFO heartbeat ${i}`);

    it('keeps the last lines of the window', async () => {
      const excerpt = await buildExcerpt(parsed(...quiet), { patterns, recentLines: 3 });

      expect(excerpt.recent?.lines).toEqual([
        '2026-11-22T10:10:07.000Z INFO heartbeat 7',
        '2026-11-22T10:10:08.000Z INFO heartbeat 8',
        '2026-11-22T10:10:09.000Z INFO heartbeat 9',
      ]);
    });

    it('keeps the last lines of each task, by time, each labelled with its task', async () => {
      // The Engine may send one task's whole log before the other's.
      const first = [1, 3, 5].map((s) => `${at(s)} ${task('aaaaaaaaaaaaXYZ')} INFO tick ${s}`);
      const second = [2, 4, 6].map((s) => `${at(s)} ${task('bbbbbbbbbbbbXYZ')} INFO tock ${s}`);
      const excerpt = await buildExcerpt(parsed(...first, ...second), {
        patterns,
        recentLines: 2,
        taskLabels: new Map([
          ['aaaaaaaaaaaa', 'worker.1'],
          ['bbbbbbbbbbbb', 'worker.2'],
        ]),
      });

      expect(excerpt.recent?.lines).toEqual([
        'worker.1 | 2026-11-22T10:10:03.000Z INFO tick 3',
        'worker.2 | 2026-11-22T10:10:04.000Z INFO tock 4',
        'worker.1 | 2026-11-22T10:10:05.000Z INFO tick 5',
        'worker.2 | 2026-11-22T10:10:06.000Z INFO tock 6',
      ]);
    });

    it('shows a long quiet line cut like any excerpt line', async () => {
      const excerpt = await buildExcerpt(parsed(`INFO ${'x'.repeat(5000)}`), {
        patterns,
        recentLines: 3,
        maxLineChars: 100,
      });

      expect(excerpt.recent?.lines).toEqual([`INFO ${'x'.repeat(94)}…`]);
    });

    it('keeps none when something is of interest', async () => {
      const excerpt = await buildExcerpt(parsed(...quiet, 'ERROR boom'), {
        patterns,
        recentLines: 3,
      });

      expect(excerpt.recent).toBeUndefined();
    });
  });
});
