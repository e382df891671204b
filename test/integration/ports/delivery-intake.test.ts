import { setTimeout as delay } from 'node:timers/promises';
import { describe } from 'vitest';
import { createRedisDeliveryIntake } from '../../../src/infra/redis/redis-delivery-intake.js';
import { createRedisDeliveryLedger } from '../../../src/infra/redis/redis-delivery-ledger.js';
import { deliveryIntakeContract } from '../../contract/delivery-intake-contract.js';
import { dropKeys, openRedis, uniquePrefix, useRedis } from './redis-keys.js';

describe('the Redis delivery intake', () => {
  const redis = useRedis();
  // Two connections, as two bot processes hold them, over one unique prefix.
  deliveryIntakeContract(async () => {
    const prefix = uniquePrefix();
    const connections = await Promise.all([openRedis(), openRedis()]);
    const [a, b] = connections.map((connection) =>
      createRedisDeliveryIntake({ redis: connection, prefix, name: 'slack' }),
    );
    return {
      intakes: [a!, b!],
      ledger: createRedisDeliveryLedger({ redis: connections[1], prefix }),
      advance: (ms) => delay(ms),
      async close() {
        await Promise.all(connections.map((connection) => connection.quit()));
        await dropKeys(redis(), prefix);
      },
    };
  });
});
