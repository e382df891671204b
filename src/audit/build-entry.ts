import { GENESIS_HASH, type AuditEntry, type AuditInput } from './audit-entry.js';
import { hashEntry } from './hash-entry.js';

/** The tail an entry is chained to; `undefined` for an empty trail. */
export interface ChainTail {
  readonly seq: number;
  readonly hash: string;
}

/**
 * The next entry after `tail`, sealed. Only the known fields are copied and `details` goes
 * through JSON once, so the entry returned is exactly what a store reads back and re-hashes.
 */
export function buildEntry(input: AuditInput, tail: ChainTail | undefined, at: Date): AuditEntry {
  const body: Omit<AuditEntry, 'hash'> = {
    seq: (tail?.seq ?? 0) + 1,
    at: at.toISOString(),
    prevHash: tail?.hash ?? GENESIS_HASH,
    kind: input.kind,
    environment: input.environment,
    actor: input.actor,
    ...(input.requestId !== undefined && { requestId: input.requestId }),
    ...(input.operation !== undefined && { operation: input.operation }),
    ...(input.service !== undefined && { service: input.service }),
    summary: input.summary,
    ...(input.details !== undefined && {
      details: JSON.parse(JSON.stringify(input.details)) as Record<string, unknown>,
    }),
  };
  return { ...body, hash: hashEntry(body) };
}
