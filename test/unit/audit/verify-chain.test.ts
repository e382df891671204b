import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, type AuditEntry } from '../../../src/audit/audit-entry.js';
import { buildEntry } from '../../../src/audit/build-entry.js';
import { hashEntry } from '../../../src/audit/hash-entry.js';
import { verifyChain } from '../../../src/audit/verify-chain.js';

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < length; i += 1) {
    const input = {
      kind: 'vote',
      environment: 'prod',
      actor: `person${i}`,
      requestId: 'r1',
      summary: `vote ${i}`,
    } as const;
    entries.push(buildEntry(input, entries.at(-1), new Date(Date.UTC(2024, 4, 1, 12, i))));
  }
  return entries;
}

function resealed(entry: AuditEntry, change: Partial<AuditEntry>): AuditEntry {
  const body = { ...entry, ...change };
  return { ...body, hash: hashEntry({ ...body, hash: undefined }) };
}

describe('verifyChain', () => {
  it('accepts an intact chain and counts it', () => {
    expect(verifyChain(chain(6))).toEqual({ ok: true, count: 6 });
  });

  it('accepts an empty trail', () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0 });
  });

  it('starts the chain at the genesis hash', () => {
    expect(chain(1)[0]?.prevHash).toBe(GENESIS_HASH);
  });

  describe('when a field of one entry was edited', () => {
    it('reports a hash mismatch at that entry', () => {
      const entries = chain(6);
      entries[3] = { ...entries[3]!, actor: 'mallory' };
      expect(verifyChain(entries)).toEqual({
        ok: false,
        count: 3,
        brokenAt: 4,
        reason: 'hash mismatch',
      });
    });

    it('reports a broken link at the next entry when the edited one was re-hashed', () => {
      const entries = chain(6);
      entries[3] = resealed(entries[3]!, { summary: 'nothing happened' });
      expect(verifyChain(entries)).toEqual({
        ok: false,
        count: 4,
        brokenAt: 5,
        reason: 'broken link',
      });
    });
  });

  describe('when an entry was removed', () => {
    it('reports a sequence gap where it is missing', () => {
      const entries = chain(6);
      entries.splice(2, 1);
      expect(verifyChain(entries)).toEqual({
        ok: false,
        count: 2,
        brokenAt: 3,
        reason: 'sequence gap',
      });
    });

    it('reports a broken link when the entries after it were renumbered and re-hashed', () => {
      const entries = chain(6);
      entries.splice(2, 1);
      const renumbered = entries.map((entry, i) =>
        i < 2 ? entry : resealed(entry, { seq: i + 1 }),
      );
      expect(verifyChain(renumbered)).toEqual({
        ok: false,
        count: 2,
        brokenAt: 3,
        reason: 'broken link',
      });
    });

    it('reports a sequence gap when the first entry is missing', () => {
      expect(verifyChain(chain(3).slice(1))).toMatchObject({
        ok: false,
        brokenAt: 1,
        reason: 'sequence gap',
      });
    });
  });

  describe('when two entries were swapped', () => {
    it('reports the first position that is out of sequence', () => {
      const entries = chain(6);
      [entries[1], entries[2]] = [entries[2]!, entries[1]!];
      expect(verifyChain(entries)).toEqual({
        ok: false,
        count: 1,
        brokenAt: 2,
        reason: 'sequence gap',
      });
    });

    it('reports a broken link when their seqs were swapped back and both re-hashed', () => {
      const entries = chain(6);
      const [second, third] = [entries[1]!, entries[2]!];
      entries[1] = resealed(third, { seq: 2 });
      entries[2] = resealed(second, { seq: 3 });
      expect(verifyChain(entries)).toEqual({
        ok: false,
        count: 1,
        brokenAt: 2,
        reason: 'broken link',
      });
    });
  });

  it('reports a broken link when the first entry does not start from genesis', () => {
    const entries = chain(2);
    entries[0] = resealed(entries[0]!, { prevHash: 'a'.repeat(64) });
    expect(verifyChain(entries)).toEqual({
      ok: false,
      count: 0,
      brokenAt: 1,
      reason: 'broken link',
    });
  });
});
