import { describe, expect, it } from 'vitest';
import { buildExcerpt } from '../../../../src/diagnostics/logs/build-excerpt.js';
import { compileUserPattern } from '../../../../src/diagnostics/logs/compile-user-pattern.js';
import type { ParsedLine } from '../../../../src/diagnostics/logs/log-line.js';
import { logPatterns } from '../../../../src/diagnostics/logs/log-patterns.js';
import { parseLogLine } from '../../../../src/diagnostics/logs/parse-log-line.js';

const LINES = 200_000;

describe('buildExcerpt', () => {
  describe('when a long log arrives faster than it is scanned', () => {
    it('lets a timer run before the scan ends, so other chat users still get answers', async () => {
      const text = 'GET /api/cases/1234 took 87ms status=200 tenant=acme region=eu-west-1';
      const line = parseLogLine({ stream: 'stdout', text, bytes: text.length + 1 });
      const handed = { count: 0 };
      // Every line is ready at once (a microtask away, as from a chunk already read): without a
      // turn of the event loop, the timer would fire only after the last one.
      async function* ready(): AsyncGenerator<ParsedLine> {
        for (; handed.count < LINES; handed.count++) {
          await Promise.resolve();
          yield line;
        }
      }
      const grep = compileUserPattern('(.|.)+zq');
      if (!grep.ok) throw new Error(grep.error);
      let linesWhenTimerRan: number | undefined;
      setTimeout(() => {
        linesWhenTimerRan = handed.count;
      }, 0);

      const excerpt = await buildExcerpt(ready(), { patterns: logPatterns(), grep: grep.value });

      expect(excerpt.linesScanned).toBe(LINES);
      expect(linesWhenTimerRan).toBeLessThan(LINES);
    });
  });
});
