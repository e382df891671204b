import type { AuditEntry, AuditKind } from './audit-entry.js';

/** The kinds that open an operation's story; everything else joins one by `requestId`. */
const OPENING: readonly AuditKind[] = ['request', 'break-glass'];

export interface OperationRecord {
  /** The request (or break-glass) that started it. */
  readonly opening: AuditEntry;
  /** All of its entries seen, newest first, the opening one included. */
  readonly entries: readonly AuditEntry[];
}

/**
 * Newest-first entries → one record per operation, newest operation first. Operations whose
 * opening entry is not among `entries` (they began before the window) are left out, as are
 * entries with no `requestId` that open nothing.
 */
export function groupOperations(entries: readonly AuditEntry[]): OperationRecord[] {
  const byRequest = new Map<string, AuditEntry[]>();
  for (const entry of entries) {
    const id = entry.requestId ?? (OPENING.includes(entry.kind) ? `#${entry.seq}` : undefined);
    if (id === undefined) continue;
    const group = byRequest.get(id);
    if (group === undefined) byRequest.set(id, [entry]);
    else group.push(entry);
  }
  const records: OperationRecord[] = [];
  for (const group of byRequest.values()) {
    // Newest first, so the last opening entry is the first one written.
    const opening = group.findLast((entry) => OPENING.includes(entry.kind));
    if (opening !== undefined) records.push({ opening, entries: group });
  }
  return records.sort((a, b) => b.opening.seq - a.opening.seq);
}
