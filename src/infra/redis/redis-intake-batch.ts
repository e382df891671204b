import type { Redis } from 'ioredis';
import type { LedgerClaim } from '../../core/ports/delivery-intake.js';
import { seenKey } from './redis-delivery-ledger.js';

// Leases are deadlines on the Redis server's clock (TIME), not on any bot host's: hosts'
// clocks may disagree by more than a lease lasts.
export const NOW = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`;

/**
 * KEYS: entries hash, lease zset, then every take's claim keys in order. ARGV per take: id,
 * payload, leaseMs, its number of claims, that many claim ttls. Per take 1 (claimed and
 * recorded) or 0 (a claim was lost, nothing recorded). A claim is the ledger's `SET NX PX`.
 */
const TAKE_MANY = `${NOW}
local a, k, out = 1, 3, {}
while a <= #ARGV do
  local id, payload, lease, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  a = a + 4
  local won = 1
  for _ = 1, n do
    if won == 1 and not redis.call('SET', KEYS[k], '1', 'PX', ARGV[a], 'NX') then won = 0 end
    k, a = k + 1, a + 1
  end
  if won == 1 then
    redis.call('HSET', KEYS[1], id, payload)
    redis.call('ZADD', KEYS[2], now + lease, id)
  end
  out[#out + 1] = won
end
return out`;

export interface IntakeKeys {
  readonly redis: Redis;
  /** The app's key prefix: claims go where the DeliveryLedger keeps them. */
  readonly prefix: string;
  readonly entries: string;
  readonly lease: string;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface PendingTake extends Waiter<boolean> {
  readonly id: string;
  readonly payload: string;
  readonly leaseMs: number;
  readonly claims: readonly LedgerClaim[];
}

/**
 * Takes and dones of one turn of the event loop, written to Redis together. A burst's
 * deliveries arrive in one turn, and each waits for its take before its ack: one script for all
 * of them is one write and one reply where a script each would be hundreds of both, and every
 * one of those is a system call on a busy host. The batch goes out as the turn ends
 * (`setImmediate` runs right after the turn's I/O callbacks), so the first take waits for no
 * timer. One script, so the batch is atomic as each take was: of processes claiming one key,
 * exactly one wins.
 */
export interface IntakeBatch {
  /** Resolves true when recorded (every claim won), false when a claim was lost. */
  take(
    id: string,
    payload: string,
    leaseMs: number,
    claims: readonly LedgerClaim[],
  ): Promise<boolean>;
  done(id: string): Promise<void>;
}

interface Pending {
  takes: PendingTake[];
  dones: { id: string; waiter: Waiter<void> }[];
}

function takeArgs(keys: IntakeKeys, takes: readonly PendingTake[]): (string | number)[] {
  const claimKeys: string[] = [];
  const argv: (string | number)[] = [];
  for (const take of takes) {
    argv.push(take.id, take.payload, Math.max(1, take.leaseMs), take.claims.length);
    for (const claim of take.claims) {
      claimKeys.push(seenKey(keys.prefix, claim.key));
      argv.push(Math.max(1, claim.ttlMs));
    }
  }
  return [2 + claimKeys.length, keys.entries, keys.lease, ...claimKeys, ...argv];
}

async function flush(keys: IntakeKeys, pending: Pending): Promise<void> {
  const { takes, dones } = pending;
  const pipeline = keys.redis.pipeline();
  if (takes.length > 0)
    pipeline.eval(TAKE_MANY, ...(takeArgs(keys, takes) as [number, ...string[]]));
  if (dones.length > 0) {
    const ids = dones.map((d) => d.id);
    pipeline.zrem(keys.lease, ...ids).hdel(keys.entries, ...ids);
  }
  let results: [Error | null, unknown][];
  try {
    results = (await pipeline.exec()) ?? [];
  } catch (error) {
    for (const take of takes) take.reject(error);
    for (const done of dones) done.waiter.reject(error);
    return;
  }
  settle(takes, dones, results);
}

function settle(
  takes: readonly PendingTake[],
  dones: Pending['dones'],
  results: readonly [Error | null, unknown][],
): void {
  const [takeError, won] = takes.length > 0 ? (results[0] ?? [new Error('no reply')]) : [null];
  takes.forEach((take, i) => {
    if (takeError) take.reject(takeError);
    else take.resolve((won as number[])[i] === 1);
  });
  const doneError = results.slice(takes.length > 0 ? 1 : 0).find(([error]) => error)?.[0];
  for (const done of dones) {
    if (doneError) done.waiter.reject(doneError);
    else done.waiter.resolve();
  }
}

export function createIntakeBatch(keys: IntakeKeys): IntakeBatch {
  let pending: Pending | undefined;
  const batch = (): Pending => {
    if (pending === undefined) {
      const next: Pending = { takes: [], dones: [] };
      pending = next;
      setImmediate(() => {
        pending = undefined;
        void flush(keys, next);
      });
    }
    return pending;
  };
  return {
    take: (id, payload, leaseMs, claims) =>
      new Promise((resolve, reject) =>
        batch().takes.push({ id, payload, leaseMs, claims, resolve, reject }),
      ),
    done: (id) =>
      new Promise((resolve, reject) => batch().dones.push({ id, waiter: { resolve, reject } })),
  };
}
