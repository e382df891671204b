import { isSentinelUrl, parseSentinelUrl, SentinelUrlError } from '../infra/redis/sentinel-url.js';
import { url, type Reader } from './env-reader.js';

/** Durable writes: how many replicas must hold a vote, a request change or an audit entry. */
export interface RedisWait {
  /** `REDIS_WAIT_REPLICAS`: replicas that must acknowledge (0: no WAIT). */
  readonly replicas: number;
  /** `REDIS_WAIT_MS`: how long one write waits for them before readiness reports it. */
  readonly timeoutMs: number;
}

export const redisWaitDefaults = { replicas: 0, timeoutMs: 500 } as const;

const SENTINEL_EXAMPLE = 'redis+sentinel://sentinel-1:26379,sentinel-2:26379/mymaster';

/** REDIS_URL: one server (`redis://`, `rediss://`) or a Sentinel set (`redis+sentinel://`). */
export function readRedisUrl(r: Reader): string | undefined {
  const value = r.get('REDIS_URL');
  if (value === undefined || !isSentinelUrl(value)) {
    return url(r, 'REDIS_URL', ['redis:', 'rediss:'], `redis://redis:6379 or ${SENTINEL_EXAMPLE}`);
  }
  try {
    parseSentinelUrl(value);
    return value;
  } catch (error) {
    if (!(error instanceof SentinelUrlError)) throw error;
    return r.fail('REDIS_URL', error.message, `e.g. REDIS_URL=${SENTINEL_EXAMPLE}`);
  }
}

function count(r: Reader, name: string, fallback: number, max: number): number {
  const value = r.get(name);
  if (value === undefined) return fallback;
  if (/^\d{1,6}$/.test(value) && Number(value) <= max) return Number(value);
  r.fail(name, `must be a whole number from 0 to ${max}`, `unset it for the default ${fallback}`);
  return fallback;
}

/** REDIS_WAIT_REPLICAS and REDIS_WAIT_MS; the timeout must be positive when replicas are asked. */
export function readRedisWait(r: Reader): RedisWait {
  const replicas = count(r, 'REDIS_WAIT_REPLICAS', redisWaitDefaults.replicas, 10);
  const timeoutMs = count(r, 'REDIS_WAIT_MS', redisWaitDefaults.timeoutMs, 60_000);
  if (replicas > 0 && timeoutMs === 0) {
    // WAIT with 0 blocks until the replicas answer, however long: a chat command would hang.
    r.fail(
      'REDIS_WAIT_MS',
      'must be above 0 when REDIS_WAIT_REPLICAS is set',
      'e.g. REDIS_WAIT_MS=500',
    );
  }
  return { replicas, timeoutMs };
}

/** The passwords REDIS_URL carries (data nodes and sentinels), raw and percent-decoded. */
export function redisSecrets(redisUrl: string): string[] {
  const raw = isSentinelUrl(redisUrl) ? sentinelPasswords(redisUrl) : [new URL(redisUrl).password];
  return raw.flatMap((secret) => [secret, decoded(secret)]);
}

function sentinelPasswords(redisUrl: string): string[] {
  const target = parseSentinelUrl(redisUrl);
  const rawLogin = /^[^:]+:\/\/([^@/]*)@/.exec(redisUrl)?.[1] ?? '';
  const rawPassword = rawLogin.includes(':') ? rawLogin.slice(rawLogin.indexOf(':') + 1) : '';
  return [rawPassword, target.password ?? '', target.sentinelPassword ?? ''];
}

function decoded(secret: string): string {
  try {
    return decodeURIComponent(secret);
  } catch {
    return secret; // not percent-encoded after all: the raw form is the only one
  }
}
