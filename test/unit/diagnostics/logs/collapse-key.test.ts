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
});
