import type { Redis } from 'ioredis';
import { isFinished, type OperationRequest } from '../../core/requests/operation-request.js';
import type { RequestStore } from '../../core/ports/request-store.js';
import { listClaims, releaseClaimIfHeld } from './redis-claims.js';
import { requestScripts, type RequestKeys, type RequestScripts } from './redis-request-scripts.js';

export interface RedisRequestStoreOptions {
  readonly redis: Redis;
  /** Key prefix; tests use a unique one. */
  readonly prefix?: string;
  /** Finished requests stay readable this long (the audit trail keeps them for good). */
  readonly retentionMs?: number;
}

const RETRIES = 20;
/** Most open requests `open` reads; more would be a backlog no card could show anyway. */
const OPEN_LIMIT = 200;

/** What every operation of the store needs: the connection, its keys, scripts and timings. */
interface Store {
  readonly redis: Redis;
  readonly scripts: RequestScripts;
  readonly prefix: string;
  readonly retentionMs: number;
}

const requestKey = (store: Store, id: string) => `${store.prefix}req:${id}`;
const openKey = (store: Store) => `${store.prefix}open`;
const claimKey = (store: Store, env: string, service: string) =>
  `${store.prefix}claim:${env}:${service}`;
const budgetKey = (store: Store, env: string, service: string, op: string) =>
  `${store.prefix}budget:${env}:${service}:${op}`;
const replicasKey = (store: Store, env: string) => `${store.prefix}replicas:${env}`;

/** Each service the request's steps touch, once (`stop all` touches every one). */
const servicesOf = (request: OperationRequest): string[] => [
  ...new Set(request.steps.map((step) => step.service)),
];

/** The request's keys: itself, the open index and the claim of each service it touches. */
const keysOf = (store: Store, request: OperationRequest): RequestKeys => ({
  request: requestKey(store, request.id),
  open: openKey(store),
  claims: servicesOf(request).map((service) => claimKey(store, request.environment, service)),
});

const parse = (raw: string | null): OperationRequest | undefined =>
  raw === null ? undefined : (JSON.parse(raw) as OperationRequest);

/**
 * Requests as JSON strings (`req:<id>`), an index of open ones (`open`, a sorted set by
 * creation time), per-service claims, execution budgets (sorted sets of timestamps) and the
 * replica counts recorded at stop. Updates are compare-and-set: a write between our read and our
 * write makes the script refuse and we re-read, so concurrent votes are never lost.
 */
export function createRedisRequestStore(options: RedisRequestStoreOptions): RequestStore {
  const store: Store = {
    redis: options.redis,
    scripts: requestScripts(options.redis),
    prefix: options.prefix ?? 'tas:',
    retentionMs: options.retentionMs ?? 30 * 86_400_000,
  };
  return {
    create: (request) => create(store, request),
    get: async (id) => parse(await store.redis.get(requestKey(store, id))),
    update: (id, change) => update(store, id, change),
    open: (environment) => openRequests(store, environment),
    createClaimed: (request, claimMs) => createClaimed(store, request, claimMs),
    claims: () => listClaims(store.redis, `${store.prefix}claim:`),
    releaseClaim: (env, service, holder) =>
      releaseClaimIfHeld(store.redis, claimKey(store, env, service), holder),
    claimHolder: async (env, service) =>
      (await store.redis.get(claimKey(store, env, service))) ?? undefined,
    countExecution: (env, service, op, at, windowMs, requestId) =>
      countExecution(store, budgetKey(store, env, service, op), at, windowMs, requestId),
    executions: (env, service, op, at, windowMs) =>
      store.redis.zcount(budgetKey(store, env, service, op), at.getTime() - windowMs, '+inf'),
    saveReplicas: async (env, service, replicas) => {
      await store.redis.hset(replicasKey(store, env), service, String(replicas));
    },
    savedReplicas: async (env, service) => {
      const raw = await store.redis.hget(replicasKey(store, env), service);
      return raw === null ? undefined : Number(raw);
    },
  };
}

async function create(store: Store, request: OperationRequest): Promise<void> {
  const multi = store.redis.multi();
  const json = JSON.stringify(request);
  if (isFinished(request)) {
    multi.set(requestKey(store, request.id), json, 'PX', store.retentionMs);
    multi.zrem(openKey(store), request.id);
  } else {
    multi.set(requestKey(store, request.id), json);
    multi.zadd(openKey(store), Date.parse(request.createdAt), request.id);
  }
  await multi.exec();
}

async function createClaimed(
  store: Store,
  request: OperationRequest,
  claimMs: number,
): Promise<{ service: string; holder: string } | undefined> {
  const busy = await store.scripts.createClaimed(
    keysOf(store, request),
    { json: JSON.stringify(request), id: request.id, createdAt: Date.parse(request.createdAt) },
    { ttlMs: Math.max(1, Math.ceil(claimMs)), requestPrefix: requestKey(store, '') },
  );
  if (busy === null) return undefined;
  return { service: servicesOf(request)[busy.index] ?? request.target, holder: busy.holder };
}

async function update<T>(
  store: Store,
  id: string,
  change: (current: OperationRequest) => { request: OperationRequest; result: T } | undefined,
): Promise<{ request: OperationRequest; result: T | undefined } | undefined> {
  for (let attempt = 0; attempt < RETRIES; attempt += 1) {
    const raw = await store.redis.get(requestKey(store, id));
    const current = parse(raw);
    if (raw === null || current === undefined) return undefined;
    const next = change(current);
    if (next === undefined) return { request: current, result: undefined };
    const { request } = next;
    const written = await store.scripts.writeIfUnchanged(
      keysOf(store, request),
      raw,
      {
        json: JSON.stringify(request),
        finished: isFinished(request),
        id: request.id,
        createdAt: Date.parse(request.createdAt),
      },
      store.retentionMs,
    );
    if (written) return { request, result: next.result };
  }
  throw new Error(`request ${id}: too many concurrent updates`);
}

async function openRequests(store: Store, environment?: string): Promise<OperationRequest[]> {
  const ids = await store.redis.zrevrange(openKey(store), 0, OPEN_LIMIT - 1);
  if (ids.length === 0) return [];
  const raws = await store.redis.mget(ids.map((id) => requestKey(store, id)));
  return raws
    .map(parse)
    .filter((r): r is OperationRequest => r !== undefined && !isFinished(r))
    .filter((r) => environment === undefined || r.environment === environment);
}

/** Drops what left the window, adds this execution (once per request) and counts. */
async function countExecution(
  store: Store,
  key: string,
  at: Date,
  windowMs: number,
  requestId: string,
): Promise<number> {
  const results = await store.redis
    .multi()
    .zremrangebyscore(key, 0, at.getTime() - windowMs)
    .zadd(key, at.getTime(), requestId)
    .zcard(key)
    .pexpire(key, windowMs)
    .exec();
  return Number(results?.[2]?.[1] ?? 0);
}
