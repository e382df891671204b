import { createServer } from 'node:net';
import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { DependencyError, UserError } from '../../../../src/core/errors.js';
import { guardRedis, isRedisUnavailable } from '../../../../src/infra/redis/guard-redis.js';

/** ioredis re-exports redis-errors' ReplyError untyped; this is its shape. */
const Reply = ReplyError as new (message: string) => Error;

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const clients: Redis[] = [];
function client(options: RedisOptions): Redis {
  const redis = new Redis({ host: '127.0.0.1', lazyConnect: true, ...options });
  redis.on('error', () => undefined);
  clients.push(redis);
  return redis;
}

/** What ioredis rejects `run` with. */
async function thrownBy(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`not an Error: ${String(error)}`);
  }
  throw new Error('expected a rejection');
}

afterEach(() => {
  for (const redis of clients.splice(0)) redis.disconnect();
});

describe('isRedisUnavailable', () => {
  describe('when ioredis cannot reach the server', () => {
    it('recognises the refused connection by its errno code', async () => {
      const redis = client({ port: await closedPort(), retryStrategy: () => null });
      const emitted = new Promise<Error>((resolve) => redis.once('error', resolve));
      await thrownBy(() => redis.connect());
      const error = await emitted;
      expect((error as { code?: string }).code).toBe('ECONNREFUSED');
      expect(isRedisUnavailable(error)).toBe(true);
    });

    it('recognises MaxRetriesPerRequestError by its class', async () => {
      const redis = client({ port: await closedPort(), maxRetriesPerRequest: 0 });
      const error = await thrownBy(() => redis.get('k'));
      expect(error.name).toBe('MaxRetriesPerRequestError');
      expect(isRedisUnavailable(error)).toBe(true);
    });

    it('recognises a command refused with the offline queue off', async () => {
      const redis = client({ port: await closedPort(), enableOfflineQueue: false });
      const error = await thrownBy(() => redis.get('k'));
      expect(isRedisUnavailable(error)).toBe(true);
    });

    it('recognises a command on a connection that has ended', async () => {
      const redis = client({ port: await closedPort(), retryStrategy: () => null });
      await thrownBy(() => redis.connect());
      const error = await thrownBy(() => redis.get('k'));
      expect(error.message).toBe('Connection is closed.');
      expect(isRedisUnavailable(error)).toBe(true);
    });
  });

  describe('when the server answers with an error reply', () => {
    it('counts LOADING as unavailable', () => {
      const loading = new Reply('LOADING Redis is loading the dataset in memory');
      expect(isRedisUnavailable(loading)).toBe(true);
    });

    it('leaves WRONGTYPE and any other reply to the caller', () => {
      const wrong = new Reply('WRONGTYPE Operation against a key');
      expect(isRedisUnavailable(wrong)).toBe(false);
    });
  });

  describe('when the error merely mentions connecting', () => {
    it('leaves it alone: only codes and classes count', () => {
      expect(isRedisUnavailable(new TypeError('cannot connect the dots'))).toBe(false);
      expect(isRedisUnavailable(new Error('reconnect budget exhausted'))).toBe(false);
    });
  });
});

describe('guardRedis', () => {
  const port = (failure: unknown) => ({
    get: () => Promise.reject(failure instanceof Error ? failure : new Error(String(failure))),
  });

  describe('when a port method fails for want of Redis', () => {
    it('throws a DependencyError naming Redis and where it is', async () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
        code: 'ECONNREFUSED',
      });
      const error = await thrownBy(() => guardRedis(port(refused), 'redis://127.0.0.1:1').get());
      expect(error).toBeInstanceOf(DependencyError);
      expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', dependency: 'redis' });
    });
  });

  describe('when a port method fails otherwise', () => {
    it('passes bugs and user errors through unchanged', async () => {
      const bug = new TypeError('x is undefined');
      expect(await thrownBy(() => guardRedis(port(bug), 'r').get())).toBe(bug);
      const refusal = new UserError('BUSY', 'Busy.');
      expect(await thrownBy(() => guardRedis(port(refusal), 'r').get())).toBe(refusal);
    });
  });
});
