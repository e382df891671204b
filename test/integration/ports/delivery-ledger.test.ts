import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { describe } from 'vitest';
import { sharedDeliveryLedger } from '../../../src/app/shared-delivery-ledger.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import { createRedisDeliveryLedger } from '../../../src/infra/redis/redis-delivery-ledger.js';
import { createMemoryDeliveryLedger } from '../../../src/lib/recent-ids.js';
import {
  deliveryLedgerContract,
  type DeliveryLedgerSubject,
} from '../../contract/delivery-ledger-contract.js';
import { dropKeys, openRedis, uniquePrefix, useRedis } from './redis-keys.js';

/** Two connections, as two bot processes hold them, over one unique prefix. */
async function twoProcesses(
  redis: () => Redis,
  wrap: (
    ledger: ReturnType<typeof createRedisDeliveryLedger>,
  ) => DeliveryLedgerSubject['ledgers'][0],
): Promise<DeliveryLedgerSubject> {
  const prefix = uniquePrefix();
  const connections = await Promise.all([openRedis(), openRedis()]);
  const [a, b] = connections.map((connection) =>
    wrap(createRedisDeliveryLedger({ redis: connection, prefix })),
  );
  return {
    ledgers: [a!, b!],
    advance: (ms) => delay(ms),
    async close() {
      await Promise.all(connections.map((connection) => connection.quit()));
      await dropKeys(redis(), prefix);
    },
  };
}

describe('the Redis delivery ledger', () => {
  const redis = useRedis();
  deliveryLedgerContract(() => twoProcesses(redis, (ledger) => ledger));
});

describe('the delivery ledger the app wires (process memory, then Redis)', () => {
  const redis = useRedis();
  deliveryLedgerContract(() =>
    twoProcesses(redis, (shared) =>
      sharedDeliveryLedger({
        shared,
        local: createMemoryDeliveryLedger({ max: 100 }),
        timeoutMs: 5_000,
        log: silentLogger,
      }),
    ),
  );
});
