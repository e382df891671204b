import type { AuditEntry } from '../../../src/audit/audit-entry.js';
import type { AuditLog } from '../../../src/audit/audit-log.js';
import { buildEntry } from '../../../src/audit/build-entry.js';
import { matchesFilter } from '../../../src/audit/matches-filter.js';
import { parseAuditEntry } from '../../../src/audit/parse-audit-entry.js';
import type { Clock } from '../../../src/core/ports/clock.js';

export interface MemoryAuditLog extends AuditLog {
  /** The trail as stored, one JSON text per entry, oldest first: tests may tamper with it. */
  readonly lines: string[];
}

/**
 * The audit trail in an array of JSON texts, sealed with the project's own `buildEntry` and
 * read back with its own parser, so `verifyAuditLog` judges it exactly as it judges Redis.
 * Appends are synchronous, so the chain never forks.
 */
export function createMemoryAuditLog(clock: Clock): MemoryAuditLog {
  const lines: string[] = [];
  const entry = (index: number): AuditEntry => parseAuditEntry(lines[index] ?? '', index + 1);
  return {
    lines,
    append(input) {
      try {
        const last = lines.length === 0 ? undefined : entry(lines.length - 1);
        const sealed = buildEntry(input, last, clock.now());
        lines.push(JSON.stringify(sealed));
        return Promise.resolve(sealed);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    recent(n, filter = {}) {
      const found: AuditEntry[] = [];
      for (let i = lines.length - 1; i >= 0 && found.length < n; i -= 1) {
        const candidate = entry(i);
        if (matchesFilter(candidate, filter)) found.push(candidate);
      }
      return Promise.resolve(found);
    },
    async *all() {
      for (let i = 0; i < lines.length; i += 1) yield await Promise.resolve(entry(i));
    },
  };
}
