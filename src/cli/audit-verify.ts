import type { Writable } from 'node:stream';
import type { AuditLog } from '../audit/audit-log.js';
import { verifyAuditLog } from '../audit/verify-audit-log.js';

/**
 * `tas-chatops audit-verify`: walks the whole trail from its first entry and prints one line.
 * Exit code 0 when the chain is intact, 1 when it is broken; Redis being unreachable throws.
 */
export async function verifyAudit(audit: AuditLog, out: Writable): Promise<number> {
  const verdict = await verifyAuditLog(audit);
  if (verdict.ok) {
    out.write(
      `✓ audit chain intact: ${verdict.count} ${verdict.count === 1 ? 'entry' : 'entries'}\n`,
    );
    return 0;
  }
  out.write(`✗ audit chain broken at entry ${verdict.brokenAt}: ${verdict.reason}\n`);
  return 1;
}
