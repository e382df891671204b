import { describe, expect, it } from 'vitest';
import { withAuditLogging } from '../../../src/audit/audit-log.js';
import { captureLogger } from '../../fakes/capture-logger.js';
import { inMemoryAuditLog, tickingClock } from './in-memory-audit-log.js';

describe('withAuditLogging', () => {
  it('writes each appended entry as one audit log line carrying all its fields', async () => {
    const { log, entries: lines } = captureLogger();
    const audit = withAuditLogging(inMemoryAuditLog(tickingClock('2024-05-01T12:04:00Z')), log);
    const entry = await audit.append({
      kind: 'vote',
      environment: 'prod',
      actor: 'dave',
      requestId: 'r1',
      operation: 'restart',
      service: 'backend',
      summary: 'dave approved restart backend',
    });
    expect(lines).toEqual([{ level: 'info', msg: 'audit', ...entry }]);
  });

  it('writes nothing for reads', async () => {
    const { log, entries: lines } = captureLogger();
    const audit = withAuditLogging(inMemoryAuditLog(tickingClock('2024-05-01T12:04:00Z')), log);
    await audit.recent(10);
    const all: unknown[] = [];
    for await (const entry of audit.all()) all.push(entry);
    expect(all).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('writes nothing when the append fails', async () => {
    const { log, entries: lines } = captureLogger();
    const failing = withAuditLogging(
      {
        append: () => Promise.reject(new Error('redis down')),
        recent: () => Promise.resolve([]),
        all: () => inMemoryAuditLog(tickingClock('2024-05-01T12:04:00Z')).all(),
      },
      log,
    );
    await expect(
      failing.append({ kind: 'start', environment: 'prod', actor: 'system', summary: 's' }),
    ).rejects.toThrow('redis down');
    expect(lines).toEqual([]);
  });
});
