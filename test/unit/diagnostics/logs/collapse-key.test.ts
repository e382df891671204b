import { describe, expect, it } from 'vitest';
import { createCollapseKey } from '../../../../src/diagnostics/logs/collapse-key.js';
import { createRedactor } from '../../../../src/lib/redact.js';

describe('createCollapseKey', () => {
  it('gives messages that differ only in numbers or secrets one redacted key', () => {
    const keyOf = createCollapseKey(createRedactor([]));

    expect(keyOf('login failed for token=abcdef after 12ms')).toBe(
      'login failed for token=[REDACTED] after <n>ms',
    );
    expect(keyOf('login failed for token=zyxwvu after 7ms')).toBe(
      'login failed for token=[REDACTED] after <n>ms',
    );
  });

  it('never hands out an unredacted key, also for repeats it has cached', () => {
    const keyOf = createCollapseKey(createRedactor(['hunter2-secret']));

    const keys = ['auth hunter2-secret 1', 'auth hunter2-secret 2', 'auth hunter2-secret 3'].map(
      keyOf,
    );

    expect(new Set(keys)).toEqual(new Set(['auth [REDACTED] <n>']));
  });

  it('keys long messages on their start only', () => {
    const keyOf = createCollapseKey(createRedactor([]));

    expect(keyOf(`${'a'.repeat(500)} one`)).toBe(keyOf(`${'a'.repeat(500)} two`));
    expect(keyOf(`${'a'.repeat(500)} one`)).toHaveLength(400);
  });
});
