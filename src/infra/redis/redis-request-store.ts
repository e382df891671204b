import type { Redis } from 'ioredis';
import type { OperationRequest } from '../../core/requests/operation-request.js';
import type { RequestStore } from '../../core/ports/request-store.js';

export interface RedisRequestStoreOptions {
  readonly redis: Redis;
  /** Key prefix; tests use a unique one. */
  readonly prefix?: string;
  /** Finished requests stay readable this long (the audit trail keeps them for good). */
  readonly retentionMs?: number;
}

const RETRIES = 20;
const FINISHED: ReadonlySet<string> = new Set(['succeeded', 'failed', 'rejected', 'expired', 'cancelled', 'drifted']);

// One Lua call so a claim is atomic with the check that its holder is still alive: a holder
// whose request has finished (or vanished) no longer blocks the service.
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  local raw = redis.call('GET', ARGV[2] .. holder)
  if raw then
    local state = cjson.decode(raw)['state']
    if state ~= 'succeeded' and state ~= 'failed' and state ~= 'rejected' and state ~= 'expired'
      and state ~= 'cancelled' and state ~= 'drifted' then
      return holder
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return false`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Requests as JSON strings (`req:<id>`), an index of open ones (`open`, a sorted set by
 * creation time), per-service claims, execution budgets (sorted sets of timestamps) and the
 * replica counts recorded at stop. Updates use WATCH/MULTI: a write between our read and our
 * write makes EXEC fail and we re-read, so concurrent votes are never lost.
 */
export function createRedisRequestStore(options: RedisRequestStoreOptions): RequestStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'tas:';
  const retentionMs = options.retentionMs ?? 30 * 86_400_000;
  const key = (id: string) => `${prefix}req:${id}`;
  const openKey = `${prefix}open`;
  const claimKey = (env: string, service: string) => `${prefix}claim:${env}:${service}`;
  const budgetKey = (env: string, service: string, op: string) => `${prefix}budget:${env}:${service}:${op}`;
  const replicasKey = (env: string) => `${prefix}replicas:${env}`;
  const parse = (raw: string | null): OperationRequest | undefined => (raw === null ? undefined : (JSON.parse(raw) as OperationRequest));

  async function write(multi: ReturnType<Redis['multi']>, request: OperationRequest) {
    if (FINISHED.has(request.state)) {
      multi.set(key(request.id), JSON.stringify(request), 'PX', retentionMs);
      multi.zrem(openKey, request.id);
    } else {
      multi.set(key(request.id), JSON.stringify(request));
      multi.zadd(openKey, Date.parse(request.createdAt), request.id);
    }
    return multi.exec();
  }

  return {
    async create(request) {
      await write(redis.multi(), request);
    },
    async get(id) {
      return parse(await redis.get(key(id)));
    },
    async update(id, change) {
      // WATCH belongs to a connection: a dedicated duplicate keeps concurrent updates apart.
      // Producers run with enableOfflineQueue off, so connect before the first command.
      const connection = redis.duplicate({ lazyConnect: true });
      connection.on('error', () => undefined); // the failing command reports it
      try {
        await connection.connect();
        for (let attempt = 0; attempt < RETRIES; attempt += 1) {
          await connection.watch(key(id));
          const current = parse(await connection.get(key(id)));
          if (current === undefined) {
            await connection.unwatch();
            return undefined;
          }
          const next = change(current);
          if (next === undefined) {
            await connection.unwatch();
            return { request: current, result: undefined };
          }
          const done = await write(connection.multi(), next.request);
          if (done !== null) return { request: next.request, result: next.result };
        }
        throw new Error(`request ${id}: too many concurrent updates`);
      } finally {
        connection.disconnect();
      }
    },
    async open(environment) {
      const ids = await redis.zrevrange(openKey, 0, 199);
      if (ids.length === 0) return [];
      const raws = await redis.mget(ids.map(key));
      return raws
        .map(parse)
        .filter((r): r is OperationRequest => r !== undefined && !FINISHED.has(r.state))
        .filter((r) => environment === undefined || r.environment === environment);
    },
    async claimService(env, service, requestId) {
      const holder = (await redis.eval(CLAIM, 1, claimKey(env, service), requestId, `${prefix}req:`, String(6 * 3_600_000))) as string | null;
      return holder ?? undefined;
    },
    async releaseService(env, service, requestId) {
      await redis.eval(RELEASE, 1, claimKey(env, service), requestId);
    },
    async countExecution(env, service, op, at, windowMs, requestId) {
      const k = budgetKey(env, service, op);
      const results = await redis
        .multi()
        .zremrangebyscore(k, 0, at.getTime() - windowMs)
        .zadd(k, at.getTime(), requestId)
        .zcard(k)
        .pexpire(k, windowMs)
        .exec();
      return Number(results?.[2]?.[1] ?? 0);
    },
    async executions(env, service, op, at, windowMs) {
      return redis.zcount(budgetKey(env, service, op), at.getTime() - windowMs, '+inf');
    },
    async saveReplicas(env, service, replicas) {
      await redis.hset(replicasKey(env), service, String(replicas));
    },
    async savedReplicas(env, service) {
      const raw = await redis.hget(replicasKey(env), service);
      return raw === null ? undefined : Number(raw);
    },
  };
}
