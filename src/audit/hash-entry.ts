import { createHash } from 'node:crypto';
import type { AuditEntry } from './audit-entry.js';
import { canonicalJson } from './canonical-json.js';

/**
 * sha256 (hex) over the canonical JSON of every field of the entry except `hash` itself,
 * including any field a tamperer added, so nothing can be changed without changing the hash.
 */
export function hashEntry(entry: Omit<AuditEntry, 'hash'> | AuditEntry): string {
  const body: Record<string, unknown> = { ...entry };
  delete body.hash;
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}
