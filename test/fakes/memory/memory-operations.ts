import type { Config } from '../../../src/config/schema.js';
import type { Identity } from '../../../src/core/directory.js';
import { PermanentJobError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import type { Prober, ProbeResult } from '../../../src/core/ports/prober.js';
import { expireRequest } from '../../../src/operations/decide-request.js';
import { executeOperation, giveUpOperation } from '../../../src/operations/execute-operation.js';
import type { OperationDeps } from '../../../src/operations/operation-deps.js';
import { createManualClock, type ManualClock } from './manual-clock.js';
import { createMemoryAuditLog, type MemoryAuditLog } from './memory-audit-log.js';
import { createMemoryNotifier, type MemoryNotifier } from './memory-notifier.js';
import { createMemoryOperationQueue, type MemoryOperationQueue } from './memory-operation-queue.js';
import { createMemoryRequestStore } from './memory-request-store.js';
import { createMemorySwarm, type MemorySwarm, type SwarmServiceSpec } from './memory-swarm.js';

export interface MemoryOperations {
  readonly deps: OperationDeps;
  readonly clock: ManualClock;
  readonly queue: MemoryOperationQueue;
  readonly notifier: MemoryNotifier;
  readonly audit: MemoryAuditLog;
  /** The environment's platform: one swarm, whichever environment is asked for. */
  readonly swarm: MemorySwarm;
  /** Runs the jobs due now, as the worker would, and says which ran. */
  runDue(): Promise<string[]>;
}

export interface MemoryOperationsOptions {
  readonly config: Config;
  readonly services: readonly SwarmServiceSpec[];
  readonly start?: string;
  /** What every probe answers; all pass when omitted. */
  readonly probe?: (name: string) => Pick<ProbeResult, 'outcome' | 'detail'>;
}

/**
 * The operation functions' dependencies, every one in memory: a request store, queue, audit
 * log and notifier, a small swarm as the platform, a clock that moves only when told (the
 * verification's waits move it), and ids r1, r2, …
 */
export function createMemoryOperations(options: MemoryOperationsOptions): MemoryOperations {
  const clock = createManualClock(options.start);
  const queue = createMemoryOperationQueue(clock);
  const notifier = createMemoryNotifier();
  const audit = createMemoryAuditLog(clock);
  const swarm = createMemorySwarm(clock, options.services);
  const answer = options.probe ?? (() => ({ outcome: 'ok' as const, detail: '200' }));
  const prober: Prober = {
    probe: (spec) =>
      Promise.resolve({ name: spec.name, target: spec.name, latencyMs: 3, ...answer(spec.name) }),
  };
  let ids = 0;
  const deps: OperationDeps = {
    config: options.config,
    store: createMemoryRequestStore({ clock }),
    queue,
    notifier,
    audit,
    operatorFor: () => swarm.operator,
    platformFor: () => swarm.platform,
    prober,
    clock,
    log: silentLogger,
    newId: () => `r${(ids += 1)}`,
    timings: { convergeTimeoutMs: 60_000, settleMs: 5000, pollMs: 1000 },
    sleep: (ms) => clock.sleep(ms),
  };
  return {
    deps,
    clock,
    queue,
    notifier,
    audit,
    swarm,
    async runDue() {
      const ran: string[] = [];
      for (const job of queue.takeDue()) {
        ran.push(`${job.kind} ${job.requestId}`);
        if (job.kind === 'expire') await expireRequest(deps, job.requestId);
        else await runExecution(deps, job.requestId);
      }
      return ran;
    },
  };
}

/** As the worker does on its last attempt: a failure the queue gives up on ends the request. */
async function runExecution(deps: OperationDeps, id: string): Promise<void> {
  try {
    await executeOperation(deps, id);
  } catch (error) {
    if (!(error instanceof PermanentJobError)) throw error;
    await giveUpOperation(deps, id, error.message);
  }
}

export const person = (name: string, ...roles: string[]): Identity => ({
  person: name,
  roles: new Set(roles),
});
