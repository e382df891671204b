import type { Redis } from 'ioredis';
import type { AuditEntry, AuditInput } from '../../audit/audit-entry.js';
import type { AuditFilter, AuditLog } from '../../audit/audit-log.js';
import { buildEntry, type ChainTail } from '../../audit/build-entry.js';
import { matchesFilter } from '../../audit/matches-filter.js';
import { parseAuditEntry } from '../../audit/parse-audit-entry.js';
import type { Clock } from '../../core/ports/clock.js';
import { DependencyError } from '../../core/errors.js';
import { auditAppendScript } from './audit-append-script.js';

export interface RedisAuditLogOptions {
  /** Shared with the rest of the process; never closed here. */
  readonly redis: Redis;
  /** The list holding the trail, one JSON entry per element, oldest first. */
  readonly key?: string;
  readonly clock: Clock;
  /** Entries per LRANGE. */
  readonly pageSize?: number;
  /** Append attempts before giving up when other processes keep extending the tail first. */
  readonly maxAttempts?: number;
}

/**
 * The audit trail as a Redis list: entry `seq` sits at index `seq - 1`, so positive indexes
 * never move and readers page without locks while others append. Nothing is kept here that
 * Redis does not hold (the tail below is only a guess the append script checks), so with AOF
 * the trail survives restarts of Redis and of every process.
 */
export function createRedisAuditLog(options: RedisAuditLogOptions): AuditLog {
  const { redis, key = 'tas:audit', clock, pageSize = 100, maxAttempts = 20 } = options;
  const appendScript = auditAppendScript(redis);
  // Where this process last saw the trail end; starts as "empty" and is corrected by the
  // script's conflict answer, which doubles as the first read.
  let tail: ChainTail | undefined;
  // Appends from this process go one at a time, so it never races itself; only other
  // processes can make an attempt conflict.
  let queue: Promise<unknown> = Promise.resolve();

  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw new DependencyError('redis', `The audit trail in Redis could not be ${what}.`, { cause: error });
    }
  };

  async function appendNow(input: AuditInput, at: Date): Promise<AuditEntry> {
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const entry = buildEntry(input, tail, at);
      const outcome = await call('written', () => appendScript(key, entry));
      if (outcome.appended) {
        tail = { seq: entry.seq, hash: entry.hash };
        return entry;
      }
      tail = currentTail(key, outcome.length, outcome.last);
    }
    throw new Error(`audit append to ${key} lost the race ${maxAttempts} times in a row; is something appending in a loop?`);
  }

  return {
    append(input) {
      const at = clock.now();
      const appended = queue.then(() => appendNow(input, at));
      queue = appended.catch(() => undefined);
      return appended;
    },

    async recent(n, filter: AuditFilter = {}) {
      const found: AuditEntry[] = [];
      let end = (await call('read', () => redis.llen(key))) - 1;
      while (end >= 0 && found.length < n) {
        const start = Math.max(0, end - pageSize + 1);
        const page = await call('read', () => redis.lrange(key, start, end));
        for (let i = page.length - 1; i >= 0 && found.length < n; i -= 1) {
          const entry = parseAuditEntry(page[i] ?? '', start + i + 1);
          if (matchesFilter(entry, filter)) found.push(entry);
        }
        end = start - 1;
      }
      return found;
    },

    async *all() {
      for (let start = 0; ; start += pageSize) {
        const page = await call('read', () => redis.lrange(key, start, start + pageSize - 1));
        for (const [i, text] of page.entries()) yield parseAuditEntry(text, start + i + 1);
        if (page.length < pageSize) return;
      }
    },
  };
}

function currentTail(key: string, length: number, last: string | undefined): ChainTail | undefined {
  if (length === 0 || last === undefined) return undefined;
  const entry = parseAuditEntry(last, length);
  if (entry.seq !== length) {
    throw new Error(
      `${key} holds ${length} entries but the last one says it is entry ${entry.seq}: the trail was edited; run \`tas-chatops audit-verify\``,
    );
  }
  return { seq: entry.seq, hash: entry.hash };
}
