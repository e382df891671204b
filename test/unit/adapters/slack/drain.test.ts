import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { drain } from '../../../../adapters/slack/drain.js';
import { captureLogger } from '../../../fakes/capture-logger.js';

describe('drain', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns once the work is done, logging nothing', async () => {
    const { log, entries } = captureLogger();
    await drain(
      [Promise.resolve(), Promise.reject(new Error('failed answers count as done'))],
      10_000,
      log,
    );
    expect(entries).toEqual([]);
  });

  it('returns after its time with work still running, and says how much', async () => {
    const { log, entries } = captureLogger();
    const stopped = drain([new Promise<void>(() => undefined)], 10_000, log);
    await vi.advanceTimersByTimeAsync(10_000);
    await stopped;
    expect(entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        pending: 1,
        waitedMs: 10_000,
        msg: 'stopped with Slack answers still in flight',
      }),
    ]);
  });
});
