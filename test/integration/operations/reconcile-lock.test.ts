import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobLockLostError } from '../../../src/core/job-lock-lost-error.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { startOperationWorker } from '../../../src/infra/bullmq/operation-worker.js';
import { consumerOptions } from '../../../src/infra/redis/connect-redis.js';
import { executeOperation } from '../../../src/operations/execute-operation.js';
import { requestIdOf, startOpsHarness, type OpsHarness } from '../../support/ops-harness.js';

/** The Engine's record of a service: its spec version and the restart counter. */
async function engineView(h: OpsHarness, service: string) {
  const inspected = (await h.docker.getService(`${h.stack}_${service}`).inspect()) as {
    Version: { Index: number };
    Spec: { TaskTemplate: { ForceUpdate?: number } };
  };
  return { version: inspected.Version.Index, forceUpdate: inspected.Spec.TaskTemplate.ForceUpdate };
}

describe('an operation job whose lock was taken over', () => {
  let h: OpsHarness;
  let redis: Redis;
  let worker: Worker | undefined;
  beforeAll(async () => {
    // No in-process workers: the only worker is the one this test starts.
    h = await startOpsHarness({ startWorkers: false });
    redis = new Redis(h.redisUrl, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    await worker?.close(true);
    redis.disconnect();
    await h.close();
  });

  describe('when the job resumes after another worker took its lock (a stall past the lock)', () => {
    it('stops before the Engine update: the service’s spec is untouched', async () => {
      const ops = h.core.operations;
      if (ops === undefined) throw new Error('the harness has Redis');
      const before = await engineView(h, 'backend');
      const id = requestIdOf(await h.say('alice', '/tas restart backend'));
      await h.say('dave', `/tas approve ${id}`);

      let arrived!: () => void;
      const atGate = new Promise<void>((resolve) => (arrived = resolve));
      let openGate!: () => void;
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      let ended!: (outcome: unknown) => void;
      const outcome = new Promise<unknown>((resolve) => (ended = resolve));
      worker = startOperationWorker({
        connection: consumerOptions(h.redisUrl),
        prefix: h.prefix,
        log: silentLogger,
        processors: {
          // The real processor, held at a gate: the stand-in for an event loop blocked past the lock.
          async execute(requestId, ownsJob) {
            arrived();
            await gate;
            await executeOperation({ ...ops, ownsJob }, requestId).then(ended, (error: unknown) => {
              ended(error);
              throw error;
            });
          },
          expire: () => Promise.resolve(),
          giveUp: () => Promise.resolve(),
        },
      });
      await atGate;
      // What the stall check does once the lock has lapsed: the job now belongs to another token.
      await redis.set(`${h.prefix}:tas-operations:${id}:lock`, 'another-worker', 'PX', 120_000);
      openGate();

      expect(await outcome).toBeInstanceOf(JobLockLostError);
      expect(await engineView(h, 'backend')).toEqual(before);
      expect((await ops.store.get(id))?.steps.map((s) => s.state)).toEqual(['planned']);
    });
  });
});
