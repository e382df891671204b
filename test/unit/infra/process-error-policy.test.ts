import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CRASH_EXIT_CODE,
  installProcessErrorPolicy,
} from '../../../src/infra/process-error-policy.js';
import { captureLogger } from '../../fakes/capture-logger.js';

function setUp() {
  const events = new EventEmitter();
  const { log, entries } = captureLogger();
  const shutdown = vi.fn();
  const exit = vi.fn();
  let n = 0;
  const policy = installProcessErrorPolicy({
    events: events as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
    log,
    shutdown,
    exit,
    graceMs: 30_000,
    newId: () => `id-${(n += 1)}`,
  });
  return { events, entries, shutdown, exit, policy };
}

describe('installProcessErrorPolicy', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('when a rejection goes unhandled', () => {
    it('logs it with a correlation id and leaves the process serving', () => {
      const { events, entries, shutdown, exit, policy } = setUp();
      events.emit('unhandledRejection', new Error('lost'), Promise.resolve());
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ level: 'error', correlationId: 'id-1' });
      expect(entries[0]?.msg).toContain('id-1');
      expect(shutdown).not.toHaveBeenCalled();
      expect(exit).not.toHaveBeenCalled();
      expect(policy.exitCode(0)).toBe(0);
    });
  });

  describe('when an exception is uncaught', () => {
    it('logs it with a correlation id, starts the graceful shutdown and makes the exit code 70', () => {
      const { events, entries, shutdown, exit, policy } = setUp();
      events.emit('uncaughtException', new Error('broken'), 'uncaughtException');
      expect(entries[0]).toMatchObject({ level: 'error', correlationId: 'id-1' });
      expect(shutdown).toHaveBeenCalledTimes(1);
      expect(exit).not.toHaveBeenCalled();
      expect(policy.crashed).toBe(true);
      expect(policy.exitCode(0)).toBe(CRASH_EXIT_CODE);
    });

    it('exits at once on a second exception during the shutdown', () => {
      const { events, shutdown, exit } = setUp();
      events.emit('uncaughtException', new Error('first'), 'uncaughtException');
      events.emit('uncaughtException', new Error('second'), 'uncaughtException');
      expect(shutdown).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(CRASH_EXIT_CODE);
    });

    it('exits anyway when the graceful shutdown does not finish within its grace', () => {
      vi.useFakeTimers();
      const { events, exit } = setUp();
      events.emit('uncaughtException', new Error('broken'), 'uncaughtException');
      vi.advanceTimersByTime(29_999);
      expect(exit).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(exit).toHaveBeenCalledWith(CRASH_EXIT_CODE);
    });
  });

  describe('when disposed', () => {
    it('stops listening', () => {
      const { events, policy } = setUp();
      policy.dispose();
      expect(events.listenerCount('uncaughtException')).toBe(0);
      expect(events.listenerCount('unhandledRejection')).toBe(0);
    });
  });
});
