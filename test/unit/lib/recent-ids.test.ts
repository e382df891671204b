import { describe, expect, it } from 'vitest';
import { createRecentIds } from '../../../src/lib/recent-ids.js';

describe('createRecentIds', () => {
  it('lets an id through once and refuses its repeats', () => {
    const seen = createRecentIds({ max: 10, ttlMs: 1000, now: () => 0 });
    expect([seen.firstTime('a'), seen.firstTime('b'), seen.firstTime('a')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  describe('when the window has passed', () => {
    it('lets the id through again', () => {
      let now = 0;
      const seen = createRecentIds({ max: 10, ttlMs: 1000, now: () => now });
      seen.firstTime('a');
      now = 999;
      expect(seen.firstTime('a')).toBe(false);
      now = 1000;
      expect(seen.firstTime('a')).toBe(true);
    });
  });

  describe('when more ids arrive than it may hold', () => {
    it('forgets the oldest first and keeps the newest', () => {
      const seen = createRecentIds({ max: 3, ttlMs: 60_000, now: () => 0 });
      for (const id of ['a', 'b', 'c', 'd']) seen.firstTime(id);
      expect(seen.firstTime('d')).toBe(false);
      expect(seen.firstTime('c')).toBe(false);
      expect(seen.firstTime('a')).toBe(true);
    });
  });
});
