import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, type AuditEntry, type AuditInput } from '../../src/audit/audit-entry.js';
import type { AuditLog } from '../../src/audit/audit-log.js';
import { verifyAuditLog } from '../../src/audit/verify-audit-log.js';
import type { Clock } from '../../src/core/ports/clock.js';
import { createManualClock, type ManualClock } from '../fakes/memory/manual-clock.js';

export interface AuditLogSubject {
  readonly audit: AuditLog;
  /** Replaces the stored text of entry `seq`, as someone editing the store by hand would. */
  overwrite(seq: number, text: string): Promise<void>;
  close?(): Promise<void>;
}

const input = (overrides: Partial<AuditInput> = {}): AuditInput => ({
  kind: 'progress',
  environment: 'prod',
  actor: 'system',
  requestId: 'r1',
  operation: 'restart',
  service: 'backend',
  summary: 'step',
  ...overrides,
});

async function collect(audit: AuditLog): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for await (const entry of audit.all()) entries.push(entry);
  return entries;
}

/**
 * What every audit log does: a chain `verifyAuditLog` accepts, sealed in append order even when
 * appends race, read back newest first with filters or all oldest first; an edit shows.
 */
export function auditLogContract(make: (clock: Clock) => Promise<AuditLogSubject>): void {
  let subject: AuditLogSubject;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = createManualClock('2026-12-01T03:00:00.000Z');
    subject = await make(clock);
  });
  afterEach(async () => {
    await subject.close?.();
  });

  describe('when entries are appended one after another', () => {
    it('seals each to the one before, from the genesis hash, at the clock’s time', async () => {
      const first = await subject.audit.append(input({ summary: 'one' }));
      clock.advance(60_000);
      const second = await subject.audit.append(input({ summary: 'two' }));
      expect(first).toMatchObject({
        seq: 1,
        prevHash: GENESIS_HASH,
        at: '2026-12-01T03:00:00.000Z',
      });
      expect(second).toMatchObject({
        seq: 2,
        prevHash: first.hash,
        at: '2026-12-01T03:01:00.000Z',
      });
      expect(await verifyAuditLog(subject.audit)).toEqual({ ok: true, count: 2 });
    });

    it('reads back every entry as it was answered, oldest first', async () => {
      const appended: AuditEntry[] = [];
      for (let i = 0; i < 7; i += 1)
        appended.push(await subject.audit.append(input({ summary: `s${i}` })));
      expect(await collect(subject.audit)).toEqual(appended);
    });

    it('stores details as JSON gives them back, and the hash still verifies', async () => {
      const at = new Date('2026-12-01T02:59:00.000Z');
      const entry = await subject.audit.append(
        input({ details: { at, ok: true, skipped: undefined } }),
      );
      expect(entry.details).toEqual({ at: '2026-12-01T02:59:00.000Z', ok: true });
      expect(await collect(subject.audit)).toEqual([entry]);
      expect(await verifyAuditLog(subject.audit)).toEqual({ ok: true, count: 1 });
    });
  });

  describe('when appends race', () => {
    it('keeps one chain with every entry once', async () => {
      const appended = await Promise.all(
        Array.from({ length: 40 }, (_, i) => subject.audit.append(input({ summary: `s${i}` }))),
      );
      expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      expect(await verifyAuditLog(subject.audit)).toEqual({ ok: true, count: 40 });
    });

    it('fails only the append whose details JSON cannot hold', async () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const [bad, good] = await Promise.allSettled([
        subject.audit.append(input({ details: cyclic })),
        subject.audit.append(input({ summary: 'fine' })),
      ]);
      expect(bad?.status).toBe('rejected');
      expect(good).toMatchObject({ status: 'fulfilled', value: { seq: 1, summary: 'fine' } });
    });
  });

  describe('reading the newest entries', () => {
    beforeEach(async () => {
      await subject.audit.append(input({ kind: 'request', requestId: 'r1', summary: 'a' }));
      await subject.audit.append(input({ kind: 'vote', requestId: 'r2', summary: 'b' }));
      await subject.audit.append(input({ kind: 'request', environment: 'staging', summary: 'c' }));
      await subject.audit.append(input({ kind: 'result', service: 'frontend', summary: 'd' }));
    });
    const summaries = (entries: readonly AuditEntry[]) => entries.map((e) => e.summary);

    it('gives the newest first, at most n', async () => {
      expect(summaries(await subject.audit.recent(2))).toEqual(['d', 'c']);
      expect(await subject.audit.recent(0)).toEqual([]);
    });

    it('gives only the entries every criterion matches', async () => {
      expect(summaries(await subject.audit.recent(10, { environment: 'staging' }))).toEqual(['c']);
      expect(summaries(await subject.audit.recent(10, { requestId: 'r2' }))).toEqual(['b']);
      expect(summaries(await subject.audit.recent(10, { service: 'frontend' }))).toEqual(['d']);
      expect(
        summaries(await subject.audit.recent(10, { kinds: ['request'], environment: 'prod' })),
      ).toEqual(['a']);
    });
  });

  describe('when a stored entry is edited', () => {
    it('fails verification at that entry', async () => {
      for (let i = 0; i < 3; i += 1) await subject.audit.append(input({ summary: `s${i}` }));
      const [, second] = await collect(subject.audit);
      await subject.overwrite(2, JSON.stringify({ ...second, summary: 'nothing happened' }));
      expect(await verifyAuditLog(subject.audit)).toEqual({
        ok: false,
        count: 1,
        brokenAt: 2,
        reason: 'hash mismatch',
      });
    });
  });
}
