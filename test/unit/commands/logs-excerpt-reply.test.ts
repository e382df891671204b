import { describe, expect, it } from 'vitest';
import { excerptReply } from '../../../src/commands/excerpt-reply.js';
import type { LogsOptions } from '../../../src/commands/logs-options.js';
import type { Reply } from '../../../src/core/reply.js';
import { buildExcerpt } from '../../../src/diagnostics/logs/build-excerpt.js';
import { compileUserPattern } from '../../../src/diagnostics/logs/compile-user-pattern.js';
import type { ExcerptOptions } from '../../../src/diagnostics/logs/log-excerpt.js';
import { logPatterns } from '../../../src/diagnostics/logs/log-patterns.js';
import { parsed } from '../diagnostics/logs/log-fixtures.js';

const patterns = logPatterns();

async function reply(
  lines: string[],
  options: LogsOptions,
  extra: Partial<ExcerptOptions> = {},
): Promise<Reply> {
  const excerpt = await buildExcerpt(parsed(...lines), {
    patterns,
    ...(options.grep && { grep: options.grep }),
    ...(options.level && { level: options.level }),
    ...extra,
  });
  return excerptReply({ environment: 'prod', service: 'backend', options, excerpt });
}

/** Everything the chat shows: title, block titles, rows and lines. */
function shown(r: Reply): string {
  return [
    r.title,
    ...r.blocks.flatMap((b) => {
      if (b.kind === 'text') return [b.text];
      if (b.kind === 'rows')
        return [b.title ?? '', ...b.rows.map((row) => `${row.label} ${row.value}`)];
      if (b.kind === 'excerpt') return [b.title ?? '', ...b.lines];
      return [];
    }),
  ].join('\n');
}

const grep = (source: string) => {
  const pattern = compileUserPattern(source);
  if (!pattern.ok) throw new Error(pattern.error);
  return pattern.value;
};

const noisy = [
  ...Array.from({ length: 20 }, (_, i) => `ERROR connect ECONNREFUSED 127.0.0.${i + 1}:5432`),
  'INFO user 1 logged in',
  'ERROR user 2 login failed',
  'INFO user 3 logged in',
];

describe('excerptReply', () => {
  describe('when a grep is given', () => {
    it('says in the title how many of how many lines match', async () => {
      const r = await reply(noisy, { sinceMs: 900_000, grep: grep('user') });

      expect(r.title).toBe('backend logs (last 15m): 3 of 23 lines match /user/');
    });

    it('shows no count of lines that do not match', async () => {
      const text = shown(await reply(noisy, { sinceMs: 900_000, grep: grep('user') }));

      expect(text).toMatch(/ERROR ×1/);
      expect(text).not.toMatch(/ECONNREFUSED/);
      expect(text).not.toMatch(/×2\d/);
    });

    it('says so when no line matches', async () => {
      const text = shown(await reply(noisy, { grep: grep('nowhere') }, { recentLines: 50 }));

      expect(text).toMatch(/No line of 23 matches\./);
      expect(text).not.toMatch(/INFO user/);
    });
  });

  describe('when a level is given', () => {
    it('says in the title how many lines are at that level, and shows no line below it', async () => {
      const r = await reply(noisy, { level: 'error' });

      expect(r.title).toBe('backend logs: 21 of 23 lines at level ≥ error');
      expect(shown(r)).not.toMatch(/INFO/);
    });
  });

  describe('when nothing is of interest and no filter is given', () => {
    it('shows the last lines of the window instead of hiding them', async () => {
      const quiet = Array.from({ length: 22 }, (_, i) => `INFO heartbeat ${i}`);
      const r = await reply(quiet, { tail: 50 }, { recentLines: 50 });

      expect(r.title).toBe('backend logs (last 50 lines per task): 0 lines of interest in 22');
      expect(shown(r)).toMatch(/Nothing of interest; the last 22 lines\nINFO heartbeat 0\n/);
      expect(shown(r)).toMatch(/INFO heartbeat 21$/);
      expect(r.attachments).toBeUndefined();
    });

    it('shows the last lines that fit and attaches them all', async () => {
      const quiet = Array.from({ length: 80 }, (_, i) => `INFO heartbeat ${i}`);
      const r = await reply(quiet, { tail: 80 }, { recentLines: 80 });

      expect(shown(r)).toMatch(/the last 30 of 80 lines \(all of them are attached\)/);
      expect(shown(r)).toMatch(/INFO heartbeat 79$/);
      expect(shown(r)).not.toMatch(/INFO heartbeat 49\n/);
      expect(r.attachments?.[0]?.content).toMatch(/INFO heartbeat 0\n[^]*INFO heartbeat 79\n/);
    });
  });
});
