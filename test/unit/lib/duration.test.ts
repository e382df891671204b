import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/lib/duration.js';

describe('parseDuration', () => {
  describe('when a maximum is given', () => {
    const max = 30 * 86_400_000;

    it('refuses a longer duration and says what the maximum is', () => {
      expect(parseDuration('200000000d', { max })).toEqual({
        ok: false,
        error: '"200000000d" is too long; at most 30d',
      });
    });

    it('accepts the maximum itself, however it is written', () => {
      expect(parseDuration('720h', { max })).toEqual({ ok: true, value: max });
    });
  });

  describe('when no maximum is given', () => {
    it('still refuses a duration no millisecond count holds exactly', () => {
      expect(parseDuration(`${'9'.repeat(30)}d`).ok).toBe(false);
    });

    it('refuses absurdly long text before reading it', () => {
      expect(parseDuration('1s'.repeat(40)).ok).toBe(false);
    });
  });
});
