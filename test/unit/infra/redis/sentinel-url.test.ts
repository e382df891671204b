import { describe, expect, it } from 'vitest';
import {
  describeTarget,
  producerOptions,
  redisOptions,
} from '../../../../src/infra/redis/connect-redis.js';
import {
  isSentinelUrl,
  parseSentinelUrl,
  SentinelUrlError,
} from '../../../../src/infra/redis/sentinel-url.js';

describe('parseSentinelUrl', () => {
  describe('when the URL names several sentinels and a primary', () => {
    it('gives ioredis each sentinel and the primary name', () => {
      expect(parseSentinelUrl('redis+sentinel://s1:26379,s2:26380,192.0.2.3/mymaster')).toEqual({
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26380 },
          { host: '192.0.2.3', port: 26379 },
        ],
        name: 'mymaster',
      });
    });
  });

  describe('when the URL carries a login, a database and sentinel credentials', () => {
    it('uses the login for the data nodes and the query for the sentinels', () => {
      const target = parseSentinelUrl(
        'rediss+sentinel://bot:p%40ss@s1:26379/tas/2?sentinel_username=watch&sentinel_password=s3',
      );
      expect(target).toEqual({
        sentinels: [{ host: 's1', port: 26379 }],
        name: 'tas',
        username: 'bot',
        password: 'p@ss',
        sentinelUsername: 'watch',
        sentinelPassword: 's3',
        db: 2,
        tls: {},
        enableTLSForSentinelMode: true,
      });
    });

    it('takes a password without a user name', () => {
      expect(parseSentinelUrl('redis+sentinel://:secret@[::1]:26379/m').password).toBe('secret');
      expect(parseSentinelUrl('redis+sentinel://:secret@[::1]:26379/m').sentinels).toEqual([
        { host: '::1', port: 26379 },
      ]);
    });
  });

  describe('when the primary name or a sentinel address is missing or wrong', () => {
    it.each([
      'redis+sentinel://s1:26379',
      'redis+sentinel://s1:26379,/mymaster',
      'redis+sentinel://s1:99999/mymaster',
      'redis+sentinel://s1:port/mymaster',
    ])('refuses %s', (url) => {
      expect(() => parseSentinelUrl(url)).toThrow(SentinelUrlError);
    });
  });
});

describe('isSentinelUrl', () => {
  it('tells the sentinel schemes from a plain server', () => {
    expect(isSentinelUrl('redis+sentinel://s/m')).toBe(true);
    expect(isSentinelUrl('REDISS+SENTINEL://s/m')).toBe(true);
    expect(isSentinelUrl('redis://s:6379')).toBe(false);
  });
});

describe('redisOptions', () => {
  describe('when REDIS_URL names a Sentinel set', () => {
    it('reconnects when the server it reaches has been demoted to a replica', () => {
      const options = redisOptions('redis+sentinel://127.0.0.1:26379/mymaster');
      expect(options).toMatchObject({ name: 'mymaster' });
      const reconnect = 'reconnectOnError' in options ? options.reconnectOnError : undefined;
      expect(reconnect?.(new Error("READONLY You can't write against a read only replica."))).toBe(
        true,
      );
      expect(reconnect?.(new Error('WRONGTYPE Operation against a key'))).toBe(false);
      expect(describeTarget(options)).toBe('sentinels 127.0.0.1:26379 (primary "mymaster")');
    });
  });

  describe('when REDIS_URL names one server', () => {
    it('reads host, port and database as before', () => {
      const options = redisOptions('redis://:pw@redis:6390/3');
      expect(options).toEqual({ host: 'redis', port: 6390, password: 'pw', db: 3 });
      expect(describeTarget(options)).toBe('redis:6390');
    });
  });
});

describe('producerOptions', () => {
  it('bounds every command and queues none while disconnected', () => {
    expect(producerOptions('redis://r:6379', 1500)).toMatchObject({
      enableOfflineQueue: false,
      commandTimeout: 1500,
    });
  });
});
