import { describe, expect, it } from 'vitest';
import { RUNBOOK_LOG_PATTERNS } from '../../../../src/diagnostics/logs/log-patterns.js';
import { createPatternTester } from '../../../../src/diagnostics/logs/pattern-tester.js';

const oneByOne = (regexes: RegExp[], text: string): number[] =>
  regexes.flatMap((regex, index) => (regex.test(text) ? [index] : []));

describe('createPatternTester', () => {
  const regexes = [
    ...RUNBOOK_LOG_PATTERNS.map(({ regex }) => regex),
    /(\w)\1{3}/, // a back-reference: cannot join an alternation
    /(?<code>E[A-Z]+)/i, // a named group: tried alone too
    /^Case sensitive$/, // other flags: its own alternation
  ];
  const test = createPatternTester(regexes);

  it.each([
    'INFO GET /api/cases/1234 200 12ms',
    'Error: connect ECONNREFUSED 127.0.0.3:5432 after 12ms',
    'cron job purge failed: permission denied',
    'aaaa bbbb',
    'Case sensitive',
    'case sensitive',
    'EACCES on /data',
    '',
  ])('finds the same patterns as testing each one for %j', (text) => {
    expect(test(text)).toEqual(oneByOne(regexes, text));
  });

  it('returns indexes in pattern order', () => {
    expect(test('ERROR: connect ECONNREFUSED, timed out')).toEqual([0, 2, 5, regexes.length - 2]);
  });
});
