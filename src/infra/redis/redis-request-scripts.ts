import type { Redis } from 'ioredis';
import { FINISHED_STATES } from '../../core/requests/operation-request.js';

const FINISHED_LUA = [...FINISHED_STATES].map((state) => `state ~= '${state}'`).join(' and ');

// One Lua call so a claim is atomic with the check that its holder is still alive: a holder
// whose request has finished no longer blocks the service. A holder not stored blocks only
// while its claim is younger than the grace: the request is claimed before it is stored, so a
// second request in between must not take the service, but one whose process died before
// storing it must not block it for the claim's whole TTL.
// KEYS: the claim. ARGV: the claiming request id, the request key prefix, the claim's TTL and
// the grace (ms).
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  local raw = redis.call('GET', ARGV[2] .. holder)
  if raw then
    local state = cjson.decode(raw)['state']
    if ${FINISHED_LUA} then
      return holder
    end
  elseif redis.call('PTTL', KEYS[1]) > tonumber(ARGV[3]) - tonumber(ARGV[4]) then
    return holder
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
// KEYS: the request, the open index. ARGV: the JSON read, the JSON to write, '1' when finished,
// the retention (ms), the request id, its creation time (ms).
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

export interface RequestScripts {
  /** Resolves with the id holding the claim, or null when it is now the caller's. */
  claim(
    claimKey: string,
    requestId: string,
    requestPrefix: string,
    timings: { readonly ttlMs: number; readonly graceMs: number },
  ): Promise<string | null>;
  release(claimKey: string, requestId: string): Promise<void>;
  writeIfUnchanged(
    keys: { readonly request: string; readonly open: string },
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

type Command = (...args: string[]) => Promise<unknown>;

/**
 * The request store's scripts as functions. `defineCommand` sends EVALSHA and falls back to
 * EVAL on NOSCRIPT (a restarted Redis); ioredis can only type the added methods by global
 * augmentation, hence the casts.
 */
export function requestScripts(redis: Redis): RequestScripts {
  redis.defineCommand('tasRequestClaim', { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand('tasRequestRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('tasRequestWriteIfUnchanged', { numberOfKeys: 2, lua: WRITE_IF_UNCHANGED });
  const command = (name: string) =>
    (redis as unknown as Record<string, Command>)[name]?.bind(redis);
  const claim = command('tasRequestClaim');
  const release = command('tasRequestRelease');
  const write = command('tasRequestWriteIfUnchanged');
  if (claim === undefined || release === undefined || write === undefined)
    throw new Error('ioredis did not define the request store scripts');
  return {
    claim: async (claimKey, requestId, requestPrefix, { ttlMs, graceMs }) =>
      (await claim(claimKey, requestId, requestPrefix, String(ttlMs), String(graceMs))) as
        string | null,
    release: async (claimKey, requestId) => {
      await release(claimKey, requestId);
    },
    writeIfUnchanged: async (keys, expected, next, retentionMs) =>
      (await write(
        keys.request,
        keys.open,
        expected,
        next.json,
        next.finished ? '1' : '0',
        String(retentionMs),
        next.id,
        String(next.createdAt),
      )) === 1,
  };
}
