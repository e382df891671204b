import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/ports/clock.js';
import type { OperationQueue } from '../../src/core/ports/operation-queue.js';
import { createManualClock } from '../fakes/memory/manual-clock.js';

/** A job as a worker would see it: what it does, for which request, and whether it is due. */
export interface SeenJob {
  readonly kind: 'execute' | 'expire';
  readonly requestId: string;
  readonly due: boolean;
}

export interface OperationQueueSubject {
  readonly queue: OperationQueue;
  /** The jobs waiting for a worker, in no particular order. */
  jobs(): Promise<SeenJob[]>;
  close?(): Promise<void>;
}

const byId = (a: SeenJob, b: SeenJob) =>
  `${a.kind}:${a.requestId}`.localeCompare(`${b.kind}:${b.requestId}`);

/**
 * What every operations queue does: the job id is the request id, so repeated clicks and
 * retried deliveries run an operation once, and an expiry waits for its time.
 */
export function operationQueueContract(
  make: (clock: Clock) => Promise<OperationQueueSubject>,
): void {
  const clock = createManualClock('2026-12-01T03:00:00.000Z');
  let subject: OperationQueueSubject;
  beforeEach(async () => {
    clock.set(new Date());
    subject = await make(clock);
  });
  afterEach(async () => {
    await subject.close?.();
  });

  describe('when an execution is enqueued', () => {
    it('is due at once', async () => {
      await subject.queue.execute('r1');
      expect(await subject.jobs()).toEqual([{ kind: 'execute', requestId: 'r1', due: true }]);
    });

    it('is enqueued once however often it is asked for', async () => {
      await Promise.all([subject.queue.execute('r1'), subject.queue.execute('r1')]);
      await subject.queue.execute('r1');
      expect(await subject.jobs()).toEqual([{ kind: 'execute', requestId: 'r1', due: true }]);
    });

    it('keeps requests apart', async () => {
      await subject.queue.execute('r1');
      await subject.queue.execute('r2');
      expect((await subject.jobs()).sort(byId)).toEqual([
        { kind: 'execute', requestId: 'r1', due: true },
        { kind: 'execute', requestId: 'r2', due: true },
      ]);
    });
  });

  describe('when an expiry is scheduled', () => {
    it('waits until its time', async () => {
      await subject.queue.scheduleExpiry('r1', new Date(clock.now().getTime() + 15 * 60_000));
      expect(await subject.jobs()).toEqual([{ kind: 'expire', requestId: 'r1', due: false }]);
    });

    it('is due at once when its time has passed', async () => {
      await subject.queue.scheduleExpiry('r1', new Date(clock.now().getTime() - 1000));
      expect(await subject.jobs()).toEqual([{ kind: 'expire', requestId: 'r1', due: true }]);
    });

    it('is scheduled once however often it is asked for', async () => {
      const at = new Date(clock.now().getTime() + 15 * 60_000);
      await subject.queue.scheduleExpiry('r1', at);
      await subject.queue.scheduleExpiry('r1', at);
      expect(await subject.jobs()).toHaveLength(1);
    });

    it('does not stand in the way of the request’s execution', async () => {
      await subject.queue.scheduleExpiry('r1', new Date(clock.now().getTime() + 15 * 60_000));
      await subject.queue.execute('r1');
      expect((await subject.jobs()).sort(byId)).toEqual([
        { kind: 'execute', requestId: 'r1', due: true },
        { kind: 'expire', requestId: 'r1', due: false },
      ]);
    });
  });
}
