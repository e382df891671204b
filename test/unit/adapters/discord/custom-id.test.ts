import { describe, expect, it } from 'vitest';
import { decodeCustomId, encodeCustomId } from '../../../../adapters/discord/custom-id.js';

describe('custom ids', () => {
  it('carry the verb and the request id, and read back', () => {
    const id = encodeCustomId('tas', 'approve', 'r1a2b3c');
    expect(id).toBe('tas:approve:r1a2b3c');
    expect(decodeCustomId('tas', id ?? '')).toEqual({ verb: 'approve', requestId: 'r1a2b3c' });
  });

  it('never exceed Discord’s 100 characters', () => {
    expect(encodeCustomId('tas', 'reject', 'r'.repeat(89))).toHaveLength(100);
    expect(encodeCustomId('tas', 'reject', 'r'.repeat(90))).toBeUndefined();
  });

  it('refuse request ids that could smuggle in another field', () => {
    expect(encodeCustomId('tas', 'approve', 'r1:reject')).toBeUndefined();
  });

  it('are not ours when the command, the verb or the shape differs', () => {
    expect(decodeCustomId('tas', 'other:approve:r1')).toBeUndefined();
    expect(decodeCustomId('tas', 'tas:delete:r1')).toBeUndefined();
    expect(decodeCustomId('tas', 'tas:approve:r1:extra')).toBeUndefined();
    expect(decodeCustomId('tas', 'tas:approve:')).toBeUndefined();
  });
});
