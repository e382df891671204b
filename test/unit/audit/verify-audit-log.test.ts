import { describe, expect, it } from 'vitest';
import type { AuditLog } from '../../../src/audit/audit-log.js';
import { parseAuditEntry } from '../../../src/audit/parse-audit-entry.js';
import { verifyAuditLog } from '../../../src/audit/verify-audit-log.js';
import { verifyAudit } from '../../../src/cli/audit-verify.js';
import { inMemoryAuditLog, tickingClock } from './in-memory-audit-log.js';
import { Writable } from 'node:stream';

/** An AuditLog over raw stored texts, parsed the way the Redis adapter parses them. */
function storedTexts(texts: readonly string[]): AuditLog {
  return {
    append: () => Promise.reject(new Error('read-only')),
    recent: () => Promise.resolve([]),
    async *all() {
      await Promise.resolve();
      for (const [i, text] of texts.entries()) yield parseAuditEntry(text, i + 1);
    },
  };
}

async function filled(count: number) {
  const audit = inMemoryAuditLog(tickingClock('2024-05-01T12:00:00Z'));
  for (let i = 0; i < count; i += 1) {
    await audit.append({
      kind: 'progress',
      environment: 'prod',
      actor: 'system',
      requestId: 'r1',
      summary: `step ${i}`,
    });
  }
  return audit;
}

function sink(): { out: Writable; text: () => string } {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { out, text: () => chunks.join('') };
}

describe('verifyAuditLog', () => {
  it('streams the whole trail and finds it intact', async () => {
    expect(await verifyAuditLog(await filled(5))).toEqual({ ok: true, count: 5 });
  });

  it('reports an entry that cannot even be read as a hash mismatch there', async () => {
    const texts = (await filled(4)).entries.map((entry) => JSON.stringify(entry));
    texts[2] = 'garbage';
    expect(await verifyAuditLog(storedTexts(texts))).toEqual({
      ok: false,
      count: 2,
      brokenAt: 3,
      reason: 'hash mismatch',
    });
  });

  it('lets a failure to read the trail propagate rather than call it a verdict', async () => {
    const unreachable: AuditLog = {
      append: () => Promise.reject(new Error('down')),
      recent: () => Promise.reject(new Error('down')),
      // eslint-disable-next-line require-yield
      async *all() {
        await Promise.resolve();
        throw new Error('connection refused');
      },
    };
    await expect(verifyAuditLog(unreachable)).rejects.toThrow('connection refused');
  });
});

describe('verifyAudit', () => {
  describe('when the chain is intact', () => {
    it('prints the count and exits 0', async () => {
      const { out, text } = sink();
      expect(await verifyAudit(await filled(42), out)).toBe(0);
      expect(text()).toBe('✓ audit chain intact: 42 entries\n');
    });

    it('says "entry" for a single one', async () => {
      const { out, text } = sink();
      await verifyAudit(await filled(1), out);
      expect(text()).toBe('✓ audit chain intact: 1 entry\n');
    });
  });

  describe('when an entry was edited', () => {
    it('prints where and why, and exits 1', async () => {
      const audit = await filled(20);
      audit.entries[16] = { ...audit.entries[16]!, summary: 'step 99' };
      const { out, text } = sink();
      expect(await verifyAudit(audit, out)).toBe(1);
      expect(text()).toBe('✗ audit chain broken at entry 17: hash mismatch\n');
    });
  });
});
