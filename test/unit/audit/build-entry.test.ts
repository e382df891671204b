import { describe, expect, it } from 'vitest';
import { buildEntry } from '../../../src/audit/build-entry.js';
import { hashEntry } from '../../../src/audit/hash-entry.js';

describe('buildEntry', () => {
  const at = new Date('2024-05-01T12:04:00.000Z');

  it('chains onto the tail it is given', () => {
    const first = buildEntry(
      { kind: 'request', environment: 'prod', actor: 'alice', summary: 's' },
      undefined,
      at,
    );
    const second = buildEntry(
      { kind: 'vote', environment: 'prod', actor: 'dave', summary: 's' },
      first,
      at,
    );
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, at: '2024-05-01T12:04:00.000Z' });
    expect(second.hash).toBe(hashEntry(second));
  });

  it('gives exactly what a store reads back from JSON, so the hash still matches', () => {
    const input = {
      kind: 'result',
      environment: 'prod',
      actor: 'system',
      summary: 'restart backend succeeded',
      details: { ok: true, finishedAt: at, skipped: undefined },
    } as const;
    const entry = buildEntry(input, undefined, at);
    const stored = JSON.parse(JSON.stringify(entry)) as typeof entry;
    expect(stored).toEqual(entry);
    expect(hashEntry(stored)).toBe(entry.hash);
  });

  it('copies only the fields of an audit input', () => {
    const input = {
      kind: 'start',
      environment: 'prod',
      actor: 'system',
      summary: 's',
      password: 'hunter2',
    } as const;
    expect(buildEntry(input, undefined, at)).not.toHaveProperty('password');
  });
});
