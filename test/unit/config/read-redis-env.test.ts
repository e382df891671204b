import { describe, expect, it } from 'vitest';
import { readEnvOptions } from '../../../src/config/env-options.js';

const problems = (env: Record<string, string>) => {
  const result = readEnvOptions(env);
  return result.ok ? [] : result.error.map((i) => `${i.path}: ${i.message}`);
};

describe('readEnvOptions for Redis', () => {
  describe('when REDIS_URL names a Sentinel set', () => {
    it('accepts it and keeps the data and sentinel passwords secret', () => {
      const result = readEnvOptions({
        REDIS_URL: 'redis+sentinel://:p%40ss@s1:26379,s2:26380/mymaster?sentinel_password=watch',
      });
      expect(result.ok && result.value.redisUrl).toBe(
        'redis+sentinel://:p%40ss@s1:26379,s2:26380/mymaster?sentinel_password=watch',
      );
      expect(result.ok && [...result.value.secrets].sort()).toEqual(['p%40ss', 'p@ss', 'watch']);
    });

    it('names what is missing when the primary name is left out', () => {
      expect(problems({ REDIS_URL: 'redis+sentinel://s1:26379' })).toEqual([
        'REDIS_URL: expected redis+sentinel://[user:password@]host:26379[,host:26379…]/primary-name[/db]',
      ]);
    });
  });

  describe('when durable writes are asked for', () => {
    it('reads the replica count and the wait', () => {
      const result = readEnvOptions({ REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_MS: '250' });
      expect(result.ok && result.value.redisWait).toEqual({ replicas: 1, timeoutMs: 250 });
    });

    it('uses half a second when no wait is given', () => {
      const result = readEnvOptions({ REDIS_WAIT_REPLICAS: '2' });
      expect(result.ok && result.value.redisWait).toEqual({ replicas: 2, timeoutMs: 500 });
    });

    it('refuses a wait of 0, which would block a command until a replica answers', () => {
      expect(problems({ REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_MS: '0' })).toEqual([
        'REDIS_WAIT_MS: must be above 0 when REDIS_WAIT_REPLICAS is set',
      ]);
    });

    it.each(['-1', 'one', '11'])('refuses REDIS_WAIT_REPLICAS=%s', (value) => {
      expect(problems({ REDIS_WAIT_REPLICAS: value })).toEqual([
        'REDIS_WAIT_REPLICAS: must be a whole number from 0 to 10',
      ]);
    });
  });

  describe('when no replica is asked for', () => {
    it('sets no durable-write option', () => {
      const result = readEnvOptions({ REDIS_WAIT_REPLICAS: '0' });
      expect(result.ok && result.value.redisWait).toBeUndefined();
    });
  });
});
