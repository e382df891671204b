import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { AuditEntry, AuditInput } from '../../audit/audit-entry.js';
import type { AuditFilter, AuditLog } from '../../audit/audit-log.js';
import { buildEntry, type ChainTail } from '../../audit/build-entry.js';
import { detachInput } from '../../audit/detach-input.js';
import { matchesFilter } from '../../audit/matches-filter.js';
import { parseAuditEntry } from '../../audit/parse-audit-entry.js';
import type { Clock } from '../../core/ports/clock.js';
import { DependencyError } from '../../core/errors.js';
import { auditAppendScript } from './audit-append-script.js';
import { groupCommit } from './audit-group-commit.js';

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
  /** How long a process that won the tail waits before its next append while others wait. */
  readonly yieldMs?: number;
}

/**
 * The audit trail as a Redis list: entry `seq` sits at index `seq - 1`, so positive indexes
 * never move and readers page without locks while others append. Nothing is kept here that
 * Redis does not hold (the tail below is only a guess the append script checks), so with AOF
 * the trail survives restarts of Redis and of every process.
 */
export function createRedisAuditLog(options: RedisAuditLogOptions): AuditLog {
  const { redis, key = 'tas:audit', clock } = options;
  const trail: Trail = {
    redis,
    key,
    pageSize: options.pageSize ?? 100,
    maxAttempts: options.maxAttempts ?? 20,
    yieldMs: options.yieldMs ?? 5,
    appendScript: auditAppendScript(redis, { trail: key, waiting: `${key}:waiting` }, randomUUID()),
    tail: undefined,
    turnTaken: undefined,
  };
  // One batch in flight per process: it never races itself, and its backlog goes in one go.
  const enqueue = groupCommit((batch: readonly Pending[]) => appendBatch(trail, batch), MAX_BATCH);
  return {
    // Detached now, so an input JSON cannot hold fails its own caller, not its whole batch.
    append: async (input) => enqueue({ input: detachInput(input), at: clock.now() }),
    recent: (n, filter = {}) => recent(trail, n, filter),
    all: () => readAll(trail),
  };
}

/** One process's handle on the trail, and what it last saw of it. */
interface Trail {
  readonly redis: Redis;
  readonly key: string;
  readonly pageSize: number;
  readonly maxAttempts: number;
  readonly yieldMs: number;
  readonly appendScript: ReturnType<typeof auditAppendScript>;
  /**
   * Where this process last saw the trail end; starts as "empty" and is corrected by the
   * script's conflict answer, which doubles as the first read.
   */
  tail: ChainTail | undefined;
  /** Set after a win while others wait: the next batch goes after theirs. */
  turnTaken: Promise<void> | undefined;
}

async function guarded<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new DependencyError('redis', `The audit trail in Redis could not be ${what}.`, {
      cause: error,
    });
  }
}

/** Seals the batch onto the tail and stores it; recomputes when another process got there first. */
async function appendBatch(trail: Trail, batch: readonly Pending[]): Promise<AuditEntry[]> {
  await trail.turnTaken;
  for (let attempt = 1; attempt <= trail.maxAttempts; attempt += 1) {
    const entries = chainFrom(trail.tail, batch);
    const outcome = await guarded('written', () => trail.appendScript(entries));
    if (outcome.appended) {
      const last = entries[entries.length - 1] ?? entries[0];
      trail.tail = { seq: last.seq, hash: last.hash };
      // A loser retries the moment it hears it lost, but so would the winner with its next
      // batch, and the winner heard first: without stepping aside it could win every round.
      trail.turnTaken = outcome.othersWaiting > 0 ? delay(trail.yieldMs) : undefined;
      return entries;
    }
    trail.tail = currentTail(trail.key, outcome.length, outcome.last);
  }
  throw new Error(
    `audit append to ${trail.key} lost the race ${trail.maxAttempts} times in a row; is something appending in a loop?`,
  );
}

/** Pages back from the tail until `n` entries match. */
async function recent(trail: Trail, n: number, filter: AuditFilter): Promise<AuditEntry[]> {
  const { redis, key, pageSize } = trail;
  const found: AuditEntry[] = [];
  let end = (await guarded('read', () => redis.llen(key))) - 1;
  while (end >= 0 && found.length < n) {
    const start = Math.max(0, end - pageSize + 1);
    const page = await guarded('read', () => redis.lrange(key, start, end));
    for (let i = page.length - 1; i >= 0 && found.length < n; i -= 1) {
      const entry = parseAuditEntry(page[i] ?? '', start + i + 1);
      if (matchesFilter(entry, filter)) found.push(entry);
    }
    end = start - 1;
  }
  return found;
}

async function* readAll(trail: Trail): AsyncGenerator<AuditEntry> {
  const { redis, key, pageSize } = trail;
  for (let start = 0; ; start += pageSize) {
    const page = await guarded('read', () => redis.lrange(key, start, start + pageSize - 1));
    for (const [i, text] of page.entries()) yield parseAuditEntry(text, start + i + 1);
    if (page.length < pageSize) return;
  }
}

interface Pending {
  readonly input: AuditInput;
  readonly at: Date;
}

/** Entries per script call; keeps each call's arguments small. */
const MAX_BATCH = 100;

function chainFrom(
  tail: ChainTail | undefined,
  batch: readonly Pending[],
): [AuditEntry, ...AuditEntry[]] {
  const [first, ...rest] = batch;
  if (first === undefined) throw new Error('an append batch is never empty');
  const entries: [AuditEntry, ...AuditEntry[]] = [buildEntry(first.input, tail, first.at)];
  for (const { input, at } of rest)
    entries.push(buildEntry(input, entries[entries.length - 1], at));
  return entries;
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
