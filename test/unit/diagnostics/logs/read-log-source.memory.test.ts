import { describe, expect, it } from 'vitest';
import { buildExcerpt } from '../../../../src/diagnostics/logs/build-excerpt.js';
import { logPatterns } from '../../../../src/diagnostics/logs/log-patterns.js';
import { readLogSource } from '../../../../src/diagnostics/logs/read-log-source.js';
import { fakeLogSource } from './log-fixtures.js';
import { BLOCK, syntheticBlock, syntheticChunks } from './synthetic-log.js';

const MB = 1024 * 1024;

describe('readLogSource with buildExcerpt', () => {
  describe('when ~200 MB of framed logs stream through', () => {
    it(
      'counts every line with memory that does not grow with the log',
      { timeout: 300_000 },
      async () => {
        const block = syntheticBlock();
        const blocks = Math.ceil((200 * MB) / block.length);
        const rssBefore = process.memoryUsage().rss;
        let rssPeak = rssBefore;
        const chunks = syntheticChunks(block, blocks);
        const sampled = (function* () {
          let count = 0;
          for (const chunk of chunks) {
            if (++count % 64 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
            yield chunk;
          }
        })();

        const excerpt = await buildExcerpt(readLogSource(fakeLogSource('multiplexed', sampled)), {
          patterns: logPatterns(),
          maxGroups: 50,
        });

        const headers = 8 * BLOCK.lines * blocks;
        expect(excerpt.linesScanned).toBe(BLOCK.lines * blocks);
        expect(excerpt.bytesScanned).toBe(block.length * blocks - headers);
        expect(excerpt.matchedLines).toBe(
          (BLOCK.refused + BLOCK.timeouts + BLOCK.tenants) * blocks,
        );
        expect(excerpt.patternCounts).toEqual([
          { name: 'ERROR', count: (BLOCK.refused + BLOCK.tenants) * blocks },
          { name: 'ECONNREFUSED', count: BLOCK.refused * blocks },
          { name: 'database connection errors', count: BLOCK.refused * blocks },
          { name: 'Timeout', count: BLOCK.timeouts * blocks },
        ]);
        expect(excerpt.groups).toHaveLength(50);
        expect(excerpt.groups[0]).toMatchObject({
          key: 'Error: connect ECONNREFUSED <ip> after <n>ms',
          count: BLOCK.refused * blocks,
        });
        expect(excerpt.groups[1]).toMatchObject({
          key: 'WARN request timed out after <n>ms',
          count: BLOCK.timeouts * blocks,
        });
        // 48 tenants found room next to those two groups; the other 52 of each block did not.
        expect(excerpt.otherLines).toBe((BLOCK.tenants - 48) * blocks);
        expect(excerpt.excerpt.lines.length).toBeLessThanOrEqual(150);
        expect(
          excerpt.excerpt.lines.some((line) => line.endsWith(`… ×${BLOCK.refused * blocks}`)),
        ).toBe(true);
        expect(rssPeak - rssBefore).toBeLessThan(100 * MB);
      },
    );
  });
});
