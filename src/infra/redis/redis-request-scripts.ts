import type { Redis } from 'ioredis';
import { FINISHED_STATES } from '../../core/requests/operation-request.js';

const FINISHED_LUA = [...FINISHED_STATES].map((state) => `state ~= '${state}'`).join(' and ');

// Stores a new request and claims its services in one Lua call, or does neither: there is no
// instant at which a claim exists whose request is not stored, so a holder's request is always
// there to be read, and a second request in the same instant sees the first one's claim. A
// holder whose request is finished or gone (lost with Redis data, say) does not block.
// KEYS: the request, the open index, then one claim per service. ARGV: the JSON, the request
// id, its creation time (ms), the claims' TTL (ms), the request key prefix.
// Answers false when stored, or {the index of the busy claim among the claims, its holder}.
const CREATE_CLAIMED = `
for i = 3, #KEYS do
  local holder = redis.call('GET', KEYS[i])
  if holder and holder ~= ARGV[2] then
    local raw = redis.call('GET', ARGV[5] .. holder)
    if raw then
      local state = cjson.decode(raw)['state']
      if ${FINISHED_LUA} then
        return {i - 2, holder}
      end
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
for i = 3, #KEYS do
  redis.call('SET', KEYS[i], ARGV[2], 'PX', ARGV[4])
end
return false`;

// Writes the request only if it still holds exactly what the caller read (compare-and-set), and
// keeps the open index in step. Unlike WATCH, which belongs to a connection and so needed a new
// one per update (a TCP connect and a ready check, most of an approval's latency), it runs on
// the shared connection. The write that finishes the request frees its claims in the same call,
// so a crash cannot leave a finished request still holding a service.
// KEYS: the request, the open index, then the claims of its services. ARGV: the JSON read,
// the JSON to write, '1' when finished, the retention (ms), the request id, its creation
// time (ms).
const WRITE_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
  redis.call('ZREM', KEYS[2], ARGV[5])
  for i = 3, #KEYS do
    if redis.call('GET', KEYS[i]) == ARGV[5] then redis.call('DEL', KEYS[i]) end
  end
else
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[5])
end
return 1`;

/** A request's keys: itself, the open index, and one claim per service it touches. */
export interface RequestKeys {
  readonly request: string;
  readonly open: string;
  readonly claims: readonly string[];
}

export interface RequestScripts {
  /** Resolves with the index (into `keys.claims`) and holder of a busy claim, or null when stored. */
  createClaimed(
    keys: RequestKeys,
    request: { readonly json: string; readonly id: string; readonly createdAt: number },
    claim: { readonly ttlMs: number; readonly requestPrefix: string },
  ): Promise<{ readonly index: number; readonly holder: string } | null>;
  writeIfUnchanged(
    keys: RequestKeys,
    expected: string,
    next: {
      readonly json: string;
      readonly finished: boolean;
      readonly id: string;
      readonly createdAt: number;
    },
    retentionMs: number,
  ): Promise<boolean>;
}

type Command = (...args: (string | number)[]) => Promise<unknown>;

/**
 * The request store's scripts as functions. `defineCommand` sends EVALSHA and falls back to
 * EVAL on NOSCRIPT (a restarted Redis); ioredis can only type the added methods by global
 * augmentation, hence the casts. The number of keys varies with the services, so it goes first.
 */
export function requestScripts(redis: Redis): RequestScripts {
  redis.defineCommand('tasRequestCreateClaimed', { lua: CREATE_CLAIMED });
  redis.defineCommand('tasRequestWriteIfUnchanged', { lua: WRITE_IF_UNCHANGED });
  const command = (name: string) =>
    (redis as unknown as Record<string, Command>)[name]?.bind(redis);
  const create = command('tasRequestCreateClaimed');
  const write = command('tasRequestWriteIfUnchanged');
  if (create === undefined || write === undefined)
    throw new Error('ioredis did not define the request store scripts');
  const keyArgs = (keys: RequestKeys) => [
    2 + keys.claims.length,
    keys.request,
    keys.open,
    ...keys.claims,
  ];
  return {
    createClaimed: async (keys, request, claim) => {
      const busy = (await create(
        ...keyArgs(keys),
        request.json,
        request.id,
        String(request.createdAt),
        String(claim.ttlMs),
        claim.requestPrefix,
      )) as [number, string] | null;
      return busy === null ? null : { index: busy[0] - 1, holder: busy[1] };
    },
    writeIfUnchanged: async (keys, expected, next, retentionMs) =>
      (await write(
        ...keyArgs(keys),
        expected,
        next.json,
        next.finished ? '1' : '0',
        String(retentionMs),
        next.id,
        String(next.createdAt),
      )) === 1,
  };
}
