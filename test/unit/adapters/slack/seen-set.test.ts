import { describe, expect, it } from 'vitest';
import { createSeenSet } from '../../../../adapters/slack/seen-set.js';

describe('createSeenSet', () => {
  it('lets a key through once and refuses its repeats', () => {
    const seen = createSeenSet({ max: 10, ttlMs: 1000, now: () => 0 });
    expect(seen.firstTime('a')).toBe(true);
    expect(seen.firstTime('a')).toBe(false);
    expect(seen.firstTime('b')).toBe(true);
  });

  it('lets a key through again once its window has passed', () => {
    let now = 0;
    const seen = createSeenSet({ max: 10, ttlMs: 1000, now: () => now });
    seen.firstTime('a');
    now = 999;
    expect(seen.firstTime('a')).toBe(false);
    now = 1000;
    expect(seen.firstTime('a')).toBe(true);
  });

  describe('when more keys arrive than it may hold', () => {
    it('forgets the oldest first and stays bounded', () => {
      const seen = createSeenSet({ max: 3, ttlMs: 60_000, now: () => 0 });
      for (const key of ['a', 'b', 'c', 'd']) seen.firstTime(key);
      expect(seen.size).toBe(3);
      expect(seen.firstTime('d')).toBe(false);
      expect(seen.firstTime('a')).toBe(true);
    });
  });
});
