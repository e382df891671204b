import type { Redis } from 'ioredis';
import type { AuditEntry } from '../../audit/audit-entry.js';

/**
 * Appends the entry only if the trail still ends where the caller computed it against: its
 * length is `seq - 1` and the last entry's hash is `prevHash`. Otherwise nothing is written and
 * the answer carries the current length and last entry, so the caller can recompute at once.
 * Redis runs a script atomically, so two processes can never both extend the same tail.
 */
const LUA = `
local length = redis.call('LLEN', KEYS[1])
if length == tonumber(ARGV[1]) - 1 then
  local matches = length == 0
  if not matches then
    local decoded, last = pcall(cjson.decode, redis.call('LINDEX', KEYS[1], -1))
    matches = decoded and type(last) == 'table' and last.hash == ARGV[2]
  end
  if matches then
    redis.call('RPUSH', KEYS[1], ARGV[3])
    return {1}
  end
end
return {0, length, redis.call('LINDEX', KEYS[1], -1) or ''}
`;

const NAME = 'tasAuditAppend';

export type AppendOutcome =
  | { readonly appended: true }
  | { readonly appended: false; readonly length: number; readonly last: string | undefined };

type AppendCommand = (key: string, seq: string, prevHash: string, json: string) => Promise<unknown>;

/**
 * The script as a function. `defineCommand` sends EVALSHA and falls back to EVAL on NOSCRIPT,
 * which is what a restarted Redis (empty script cache) answers.
 */
export function auditAppendScript(redis: Redis): (key: string, entry: AuditEntry) => Promise<AppendOutcome> {
  redis.defineCommand(NAME, { numberOfKeys: 1, lua: LUA });
  // defineCommand adds the method at runtime; ioredis can only type it by global augmentation.
  const command = (redis as unknown as Record<typeof NAME, AppendCommand>)[NAME].bind(redis);
  return async (key, entry) => {
    const reply = (await command(key, String(entry.seq), entry.prevHash, JSON.stringify(entry))) as
      | [1]
      | [0, number, string];
    if (reply[0] === 1) return { appended: true };
    return { appended: false, length: reply[1], last: reply[2] === '' ? undefined : reply[2] };
  };
}
