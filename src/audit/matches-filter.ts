import type { AuditEntry } from './audit-entry.js';
import type { AuditFilter } from './audit-log.js';

/** Whether `entry` meets every criterion `filter` gives. */
export function matchesFilter(entry: AuditEntry, filter: AuditFilter): boolean {
  return (
    (filter.environment === undefined || entry.environment === filter.environment) &&
    (filter.requestId === undefined || entry.requestId === filter.requestId) &&
    (filter.service === undefined || entry.service === filter.service) &&
    (filter.kinds === undefined || filter.kinds.includes(entry.kind))
  );
}
