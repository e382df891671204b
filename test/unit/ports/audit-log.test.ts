import { describe } from 'vitest';
import { createMemoryAuditLog } from '../../fakes/memory/memory-audit-log.js';
import { auditLogContract } from '../../contract/audit-log-contract.js';

describe('the in-memory audit log', () => {
  auditLogContract((clock) => {
    const audit = createMemoryAuditLog(clock);
    return Promise.resolve({
      audit,
      overwrite(seq, text) {
        audit.lines[seq - 1] = text;
        return Promise.resolve();
      },
    });
  });
});
