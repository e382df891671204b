import { describe, expect, it } from 'vitest';
import { buildEntry } from '../../../src/audit/build-entry.js';
import { parseAuditEntry } from '../../../src/audit/parse-audit-entry.js';
import { UnreadableAuditEntryError } from '../../../src/audit/unreadable-audit-entry-error.js';

const entry = buildEntry(
  {
    kind: 'request',
    environment: 'prod',
    actor: 'alice',
    requestId: 'r1',
    summary: 'restart backend',
  },
  undefined,
  new Date('2024-05-01T12:04:00Z'),
);

describe('parseAuditEntry', () => {
  it('reads back what was stored', () => {
    expect(parseAuditEntry(JSON.stringify(entry), 1)).toEqual(entry);
  });

  it.each([
    ['text that is not JSON', 'not json{', 'not JSON'],
    ['JSON that is not an object', '[1,2]', 'not an object'],
    ['an entry without its hash', JSON.stringify({ ...entry, hash: undefined }), 'hash missing'],
    [
      'an entry with a numeric service',
      JSON.stringify({ ...entry, service: 7 }),
      'service not text',
    ],
    [
      'an entry with a fractional seq',
      JSON.stringify({ ...entry, seq: 1.5 }),
      'seq is not a whole number',
    ],
  ])('refuses %s, naming the position', (_what, text, problem) => {
    const read = () => parseAuditEntry(text, 17);
    expect(read).toThrow(UnreadableAuditEntryError);
    expect(read).toThrow(`audit entry 17 is unreadable (${problem})`);
  });
});
