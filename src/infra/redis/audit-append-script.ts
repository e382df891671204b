import type { Redis } from 'ioredis';
import type { AuditEntry } from '../../audit/audit-entry.js';

/**
 * KEYS: the trail, the set of appenders waiting for their turn. ARGV: seq and prevHash the
 * first entry was computed against, the appender's token, then the entries as JSON.
 *
 * Appends the entries (already chained to each other) only if the trail still ends where the
 * first one was computed against: its length is `seq - 1` and the last entry's hash is
 * `prevHash`. Redis runs a script atomically, so two appenders can never both extend one tail.
 * Otherwise nothing is written, the appender is noted as waiting and the answer carries the
 * current length and last entry, so it can recompute at once. A successful answer says how
 * many others are waiting (noted within the last second), so the winner can let them go next.
 */
const LUA = `
local trail, waiting, token = KEYS[1], KEYS[2], ARGV[3]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local length = redis.call('LLEN', trail)
local matches = false
if length == tonumber(ARGV[1]) - 1 then
  matches = length == 0
  if not matches then
    local decoded, last = pcall(cjson.decode, redis.call('LINDEX', trail, -1))
    matches = decoded and type(last) == 'table' and last.hash == ARGV[2]
  end
end
if not matches then
  redis.call('ZADD', waiting, now, token)
  redis.call('PEXPIRE', waiting, 2000)
  return {0, length, redis.call('LINDEX', trail, -1) or ''}
end
redis.call('RPUSH', trail, unpack(ARGV, 4))
redis.call('ZREM', waiting, token)
redis.call('ZREMRANGEBYSCORE', waiting, '-inf', now - 1000)
return {1, redis.call('ZCARD', waiting)}
`;

const NAME = 'tasAuditAppend';

export type AppendOutcome =
  | { readonly appended: true; readonly othersWaiting: number }
  | { readonly appended: false; readonly length: number; readonly last: string | undefined };

type AppendCommand = (
  trail: string,
  waiting: string,
  seq: string,
  prevHash: string,
  token: string,
  ...json: string[]
) => Promise<unknown>;

/**
 * The script as a function taking a non-empty run of consecutive entries. `defineCommand`
 * sends EVALSHA and falls back to EVAL on NOSCRIPT, which a restarted Redis answers.
 */
export function auditAppendScript(
  redis: Redis,
  keys: { readonly trail: string; readonly waiting: string },
  token: string,
): (entries: readonly [AuditEntry, ...AuditEntry[]]) => Promise<AppendOutcome> {
  redis.defineCommand(NAME, { numberOfKeys: 2, lua: LUA });
  // defineCommand adds the method at runtime; ioredis can only type it by global augmentation.
  const command = (redis as unknown as Record<typeof NAME, AppendCommand>)[NAME].bind(redis);
  return async (entries) => {
    const [first] = entries;
    const json = entries.map((entry) => JSON.stringify(entry));
    const reply = (await command(
      keys.trail,
      keys.waiting,
      String(first.seq),
      first.prevHash,
      token,
      ...json,
    )) as [1, number] | [0, number, string];
    if (reply[0] === 1) return { appended: true, othersWaiting: reply[1] };
    return { appended: false, length: reply[1], last: reply[2] === '' ? undefined : reply[2] };
  };
}
