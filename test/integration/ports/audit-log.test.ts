import { describe } from 'vitest';
import { createRedisAuditLog } from '../../../src/infra/redis/redis-audit-log.js';
import { auditLogContract } from '../../contract/audit-log-contract.js';
import { dropKeys, uniquePrefix, useRedis } from './redis-keys.js';

describe('the Redis audit log', () => {
  const redis = useRedis();

  auditLogContract((clock) => {
    const prefix = uniquePrefix();
    const key = `${prefix}audit`;
    return Promise.resolve({
      // Pages of three, so reading everything crosses pages.
      audit: createRedisAuditLog({ redis: redis(), key, clock, pageSize: 3 }),
      overwrite: async (seq, text) => {
        await redis().lset(key, seq - 1, text);
      },
      close: () => dropKeys(redis(), prefix),
    });
  });
});
