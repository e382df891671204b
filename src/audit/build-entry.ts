import { GENESIS_HASH, type AuditEntry, type AuditInput } from './audit-entry.js';
import { detachInput } from './detach-input.js';
import { hashEntry } from './hash-entry.js';

/** The tail an entry is chained to; `undefined` for an empty trail. */
export interface ChainTail {
  readonly seq: number;
  readonly hash: string;
}

/**
 * The next entry after `tail`, sealed. The input is detached first (see `detachInput`), so the
 * entry returned is exactly what a store reads back and re-hashes.
 */
export function buildEntry(input: AuditInput, tail: ChainTail | undefined, at: Date): AuditEntry {
  const body: Omit<AuditEntry, 'hash'> = {
    seq: (tail?.seq ?? 0) + 1,
    at: at.toISOString(),
    prevHash: tail?.hash ?? GENESIS_HASH,
    ...detachInput(input),
  };
  return { ...body, hash: hashEntry(body) };
}
