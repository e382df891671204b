// Tests src/lib/normalise-line.ts; kept beside the excerpt tests, which are its only user.
import { describe, expect, it } from 'vitest';
import { normaliseLine } from '../../../../src/lib/normalise-line.js';

describe('normaliseLine', () => {
  it('gives connection errors that differ in address and duration the same key', () => {
    expect(normaliseLine('connect ECONNREFUSED 127.0.0.1:5432 after 123ms')).toBe(
      normaliseLine('connect ECONNREFUSED 127.0.0.27:5432 after 87ms'),
    );
    expect(normaliseLine('connect ECONNREFUSED 127.0.0.1:5432 after 123ms')).toBe(
      'connect ECONNREFUSED <ip> after <n>ms',
    );
  });

  it.each([
    ['at 2026-11-22T10:10:52.070245101Z done', 'at <time> done'],
    ['at 2026-11-22 10:10:52,070 done', 'at <time> done'],
    ['at 10:10:52.070 done', 'at <time> done'],
    ['case 550e8400-e29b-41d4-a716-446655440000 closed', 'case <uuid> closed'],
    ['container 3f2a9c1b7d8e exited', 'container <hex> exited'],
    ['ptr 0x7ffd5e8c1a20 freed', 'ptr <hex> freed'],
    ['peer [::1]:8080 reset', 'peer <ip> reset'],
    ['retry 3 of 10 in 2.5s', 'retry <n> of <n> in <n>s'],
    ['too   many\tspaces ', 'too many spaces'],
  ])('normalises %j to %j', (text, key) => {
    expect(normaliseLine(text)).toBe(key);
  });

  it('keeps words made of hex letters only, which are more likely words than ids', () => {
    expect(normaliseLine('deadbeef facade')).toBe('deadbeef facade');
  });
});
