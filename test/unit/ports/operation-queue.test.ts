import { describe } from 'vitest';
import { createMemoryOperationQueue } from '../../fakes/memory/memory-operation-queue.js';
import { operationQueueContract } from '../../contract/operation-queue-contract.js';

describe('the in-memory operations queue', () => {
  operationQueueContract((clock) => {
    const queue = createMemoryOperationQueue(clock);
    return Promise.resolve({
      queue,
      jobs: () =>
        Promise.resolve(
          queue.jobs().map((job) => ({
            kind: job.kind,
            requestId: job.requestId,
            due: job.dueAt.getTime() <= clock.now().getTime(),
          })),
        ),
    });
  });
});
