import type { AuditEntry, AuditInput } from '../../../src/audit/audit-entry.js';
import type { AuditLog } from '../../../src/audit/audit-log.js';
import { buildEntry } from '../../../src/audit/build-entry.js';
import { matchesFilter } from '../../../src/audit/matches-filter.js';
import type { Clock } from '../../../src/core/ports/clock.js';

/** An AuditLog port fake: the same chain rules as the Redis adapter, in an array. */
export function inMemoryAuditLog(clock: Clock): AuditLog & { readonly entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    append(input: AuditInput) {
      const entry = buildEntry(input, entries.at(-1), clock.now());
      entries.push(entry);
      return Promise.resolve(entry);
    },
    recent(n, filter = {}) {
      return Promise.resolve(
        entries
          .filter((entry) => matchesFilter(entry, filter))
          .reverse()
          .slice(0, Math.max(0, n)),
      );
    },
    async *all() {
      await Promise.resolve();
      yield* entries;
    },
  };
}

/** A clock that moves on by one minute per reading, from `start`. */
export function tickingClock(start: string): Clock {
  let next = new Date(start).getTime();
  return {
    now() {
      const now = new Date(next);
      next += 60_000;
      return now;
    },
  };
}
