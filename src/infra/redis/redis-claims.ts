import type { Redis } from 'ioredis';
import type { ServiceClaim } from '../../core/ports/request-store.js';

// Deletes the claim only while it still names the holder: a request that has claimed the
// service since is left alone.
const RELEASE_IF_HELD = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Every claim under `claimPrefix` (`<prefix>claim:`), with its holder, by SCAN: claims are
 * few (one per service being operated on), and SCAN never blocks the server the way KEYS can.
 */
export async function listClaims(redis: Redis, claimPrefix: string): Promise<ServiceClaim[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${claimPrefix}*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const holders = await redis.mget(keys);
  return keys.flatMap((key, index) => {
    const holder = holders[index];
    // `<environment>:<service>`: environment names hold no colon.
    const rest = key.slice(claimPrefix.length);
    const split = rest.indexOf(':');
    if (holder === null || holder === undefined || split < 0) return [];
    return [{ environment: rest.slice(0, split), service: rest.slice(split + 1), holder }];
  });
}

export async function releaseClaimIfHeld(
  redis: Redis,
  claimKey: string,
  holder: string,
): Promise<void> {
  await redis.eval(RELEASE_IF_HELD, 1, claimKey, holder);
}
