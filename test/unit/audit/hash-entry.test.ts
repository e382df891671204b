import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, type AuditEntry } from '../../../src/audit/audit-entry.js';
import { hashEntry } from '../../../src/audit/hash-entry.js';

const body: Omit<AuditEntry, 'hash'> = {
  seq: 1,
  at: '2024-05-01T12:04:00.000Z',
  prevHash: GENESIS_HASH,
  kind: 'request',
  environment: 'prod',
  actor: 'alice',
  requestId: 'r1',
  summary: 'restart backend requested',
  details: { replicas: { from: 1, to: 3 }, image: 'a' },
};

describe('hashEntry', () => {
  it('is 64 hex characters of sha256', () => {
    expect(hashEntry(body)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order, nested keys included', () => {
    const reordered = {
      details: { image: 'a', replicas: { to: 3, from: 1 } },
      summary: body.summary,
      requestId: 'r1',
      actor: 'alice',
      environment: 'prod',
      kind: 'request',
      prevHash: GENESIS_HASH,
      at: body.at,
      seq: 1,
    } as const;
    expect(hashEntry(reordered)).toBe(hashEntry(body));
  });

  it('ignores the hash field itself', () => {
    expect(hashEntry({ ...body, hash: 'f'.repeat(64) })).toBe(hashEntry(body));
  });

  it('changes when any field changes, a nested detail or an added field included', () => {
    const original = hashEntry(body);
    expect(hashEntry({ ...body, actor: 'mallory' })).not.toBe(original);
    expect(hashEntry({ ...body, details: { replicas: { from: 1, to: 4 }, image: 'a' } })).not.toBe(
      original,
    );
    expect(hashEntry({ ...body, service: 'backend' })).not.toBe(original);
  });
});
