import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../core/ports/logger.js';
import {
  DEFAULT_TIMINGS,
  type OperationDeps,
  type VerifyTimings,
} from '../operations/operation-deps.js';
import type { RedisPorts } from './redis-ports.js';

export interface OperationWiring extends Pick<
  OperationDeps,
  'config' | 'platformFor' | 'operatorFor' | 'prober' | 'clock'
> {
  readonly log: Logger;
  /** Short in tests, runbook-sized by default. */
  readonly timings?: VerifyTimings | undefined;
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
}

/** What privileged operations run on: the Redis-backed ports plus the platforms and prober. */
export function wireOperations(ports: RedisPorts, wiring: OperationWiring): OperationDeps {
  return {
    config: wiring.config,
    platformFor: wiring.platformFor,
    operatorFor: wiring.operatorFor,
    prober: wiring.prober,
    clock: wiring.clock,
    store: ports.store,
    queue: ports.queue,
    notifier: ports.notifier,
    audit: ports.audit,
    log: wiring.log.child({ component: 'operations' }),
    // Short enough to type into a chat: `/tas approve r1a2b3c`.
    newId: () => `r${randomBytes(3).toString('hex')}`,
    timings: wiring.timings ?? DEFAULT_TIMINGS,
    sleep: wiring.sleep ?? ((ms) => sleep(ms)),
  };
}
