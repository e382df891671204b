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
const FINISHED: ReadonlySet<string> = new Set([
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
  'drifted',
]);

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

// Writes the request only if it still holds exactly what the caller read (compare-and-set), and
// keeps the open index in step. Unlike WATCH, which belongs to a connection and so needed a new
// one per update (a TCP connect and a ready check, most of an approval's latency), it runs on
// the shared connection.
const WRITE_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
  redis.call('ZREM', KEYS[2], ARGV[5])
else
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[5])
end
return 1`;

const WRITE_COMMAND = 'tasRequestWriteIfUnchanged';

type WriteIfUnchanged = (
  requestKey: string,
  openKey: string,
  expected: string,
  next: string,
  finished: '1' | '0',
  retentionMs: string,
  id: string,
  createdAt: string,
) => Promise<0 | 1>;

/**
 * Requests as JSON strings (`req:<id>`), an index of open ones (`open`, a sorted set by
 * creation time), per-service claims, execution budgets (sorted sets of timestamps) and the
 * replica counts recorded at stop. Updates are compare-and-set: a write between our read and our
 * write makes the script refuse and we re-read, so concurrent votes are never lost.
 */
export function createRedisRequestStore(options: RedisRequestStoreOptions): RequestStore {
  const { redis } = options;
  const prefix = options.prefix ?? 'tas:';
  const retentionMs = options.retentionMs ?? 30 * 86_400_000;
  const key = (id: string) => `${prefix}req:${id}`;
  const openKey = `${prefix}open`;
  const claimKey = (env: string, service: string) => `${prefix}claim:${env}:${service}`;
  const budgetKey = (env: string, service: string, op: string) =>
    `${prefix}budget:${env}:${service}:${op}`;
  const replicasKey = (env: string) => `${prefix}replicas:${env}`;
  const parse = (raw: string | null): OperationRequest | undefined =>
    raw === null ? undefined : (JSON.parse(raw) as OperationRequest);
  // defineCommand sends EVALSHA and falls back to EVAL on NOSCRIPT (a restarted Redis); ioredis
  // can only type the added method by global augmentation.
  redis.defineCommand(WRITE_COMMAND, { numberOfKeys: 2, lua: WRITE_IF_UNCHANGED });
  const writeIfUnchanged = (redis as unknown as Record<typeof WRITE_COMMAND, WriteIfUnchanged>)[
    WRITE_COMMAND
  ].bind(redis);

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
      for (let attempt = 0; attempt < RETRIES; attempt += 1) {
        const raw = await redis.get(key(id));
        const current = parse(raw);
        if (raw === null || current === undefined) return undefined;
        const next = change(current);
        if (next === undefined) return { request: current, result: undefined };
        const { request } = next;
        const finished = FINISHED.has(request.state) ? '1' : '0';
        const written = await writeIfUnchanged(
          key(id),
          openKey,
          raw,
          JSON.stringify(request),
          finished,
          String(retentionMs),
          request.id,
          String(Date.parse(request.createdAt)),
        );
        if (written === 1) return { request, result: next.result };
      }
      throw new Error(`request ${id}: too many concurrent updates`);
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
      const holder = (await redis.eval(
        CLAIM,
        1,
        claimKey(env, service),
        requestId,
        `${prefix}req:`,
        String(6 * 3_600_000),
      )) as string | null;
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
