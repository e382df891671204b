import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/ports/clock.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { Logger } from '../core/ports/logger.js';
import type { Prober } from '../core/ports/prober.js';
import type { ServiceOperator } from '../core/ports/service-operator.js';
import type { Notifier } from '../core/ports/notifier.js';
import type { OperationQueue } from '../core/ports/operation-queue.js';
import type { RequestStore } from '../core/ports/request-store.js';

/** Timings of execution and verification; short in tests, runbook-sized in production. */
export interface VerifyTimings {
  /** How long replicas may take to converge before the operation counts as failed. */
  readonly convergeTimeoutMs: number;
  /** How long the new tasks must stay out of a restart loop (the TAS runbook's post-update check). */
  readonly settleMs: number;
  readonly pollMs: number;
}

export const DEFAULT_TIMINGS = {
  convergeTimeoutMs: 180_000,
  settleMs: 20_000,
  pollMs: 1000,
} as const satisfies VerifyTimings;

export interface OperationDeps {
  readonly config: Config;
  readonly store: RequestStore;
  readonly queue: OperationQueue;
  readonly notifier: Notifier;
  readonly audit: AuditLog;
  readonly operatorFor: (environment: string) => ServiceOperator;
  readonly platformFor: (environment: string) => ContainerPlatform;
  readonly prober: Prober;
  readonly clock: Clock;
  readonly log: Logger;
  readonly newId: () => string;
  readonly timings: VerifyTimings;
  /** Waits between verification polls; injectable so tests with fake timers can drive it. */
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * Whether the worker still holds the job this run belongs to (and, holding it, renews it);
   * asked before every side effect. Absent outside a worker.
   */
  readonly ownsJob?: () => Promise<boolean>;
}
