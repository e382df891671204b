import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { drain } from '../../../src/lib/drain.js';

describe('drain', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('when all work finishes', () => {
    it('returns at once with nothing pending, failed work counted as done', async () => {
      const pending = await drain(
        [Promise.resolve(), Promise.reject(new Error('failed answers count as done'))],
        10_000,
      );
      expect(pending).toBe(0);
    });
  });

  describe('when work is still running after its time', () => {
    it('returns then and says how much is left', async () => {
      let finished = false;
      const stopped = drain([new Promise<void>(() => undefined), Promise.resolve()], 10_000).then(
        (pending) => {
          finished = true;
          return pending;
        },
      );
      await vi.advanceTimersByTimeAsync(9_999);
      expect(finished).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await stopped).toBe(1);
    });
  });
});
