import { describe, expect, it } from 'vitest';
import { collapseKey } from '../../../../src/diagnostics/logs/collapse-key.js';

describe('collapseKey', () => {
  it('gives messages that differ only in numbers or redacted secrets one key', () => {
    expect(collapseKey('login failed for token=[REDACTED] after 12ms')).toBe(
      'login failed for token=[REDACTED] after <n>ms',
    );
    expect(collapseKey('login failed for token=[REDACTED] after 7ms')).toBe(
      'login failed for token=[REDACTED] after <n>ms',
    );
  });

  it('keys long messages on their start only', () => {
    expect(collapseKey(`${'a'.repeat(500)} one`)).toBe(collapseKey(`${'a'.repeat(500)} two`));
    expect(collapseKey(`${'a'.repeat(500)} one`)).toHaveLength(400);
  });

  describe('when the same messages come back among thousands of others', () => {
    it('keys each of them as it keyed it the first time', () => {
      const first = collapseKey('connect ECONNREFUSED 192.0.2.1:5432 after 12ms');
      for (let n = 0; n < 3000; n += 1) {
        expect(collapseKey(`job ${n} failed`)).toBe('job <n> failed');
        expect(collapseKey(`worker-${n % 7} idle`)).toBe('worker-<n> idle');
      }
      expect(collapseKey('connect ECONNREFUSED 192.0.2.1:5432 after 12ms')).toBe(first);
      expect(first).toBe('connect ECONNREFUSED <ip> after <n>ms');
    });
  });
});
