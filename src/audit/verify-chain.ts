import type { AuditEntry } from './audit-entry.js';
import { checkLink, type ChainBreak } from './check-link.js';

/**
 * `count` is how many entries were found intact; `brokenAt` is the seq the chain expected at
 * the first bad position (so a removed entry 5 is reported as entry 5).
 */
export type ChainVerdict =
  | { readonly ok: true; readonly count: number }
  | {
      readonly ok: false;
      readonly count: number;
      readonly brokenAt: number;
      readonly reason: ChainBreak;
    };

/** Checks a whole trail, oldest first, from the genesis entry; stops at the first break. */
export function verifyChain(entries: Iterable<AuditEntry>): ChainVerdict {
  let previous: AuditEntry | undefined;
  let count = 0;
  for (const entry of entries) {
    const reason = checkLink(entry, previous);
    if (reason !== undefined) return { ok: false, count, brokenAt: count + 1, reason };
    previous = entry;
    count += 1;
  }
  return { ok: true, count };
}
