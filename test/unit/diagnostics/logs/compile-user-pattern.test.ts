import { describe, expect, it } from 'vitest';
import {
  compileUserPattern,
  MAX_PATTERN_CHARS,
} from '../../../../src/diagnostics/logs/compile-user-pattern.js';
import type { TextPattern } from '../../../../src/diagnostics/logs/text-pattern.js';

function compiled(source: string): TextPattern {
  const pattern = compileUserPattern(source);
  if (!pattern.ok) throw new Error(`expected ${source} to compile: ${pattern.error}`);
  return pattern.value;
}

function refusal(source: string): string {
  const pattern = compileUserPattern(source);
  if (pattern.ok) throw new Error(`expected ${source} to be refused`);
  return pattern.error;
}

// 20 000 characters of ordinary log text with no `zq`, no trailing `a`, no `y`: each of these
// patterns backtracks exponentially on it in V8 (`(.|.)+zq` burned 40 s on far less).
const LONG_LINE = `${'GET /api/cases/1234 took 87ms status=200 '.repeat(480)}ab`;

describe('compileUserPattern', () => {
  describe('when the pattern backtracks exponentially in a backtracking engine', () => {
    it.each([
      ['(.|.)+zq', LONG_LINE, false],
      ['(.|.)+zq', `${LONG_LINE} zq`, true],
      ['(a+)+$', `${'a'.repeat(20_000)}!`, false],
      ['(a+)+$', 'a'.repeat(20_000), true],
      ['(x+x+)+y', 'x'.repeat(20_000), false],
      ['(x+x+)+y', `${'x'.repeat(20_000)}y`, true],
      ['([a-z]+)*$', LONG_LINE, true],
      ['(\\w+\\s?)*$!', LONG_LINE, false],
    ])('runs %s to the right answer on a long line', (source, text, expected) => {
      expect(compiled(source).test(text)).toBe(expected);
    });
  });

  describe('when the pattern is ordinary', () => {
    it('matches case-insensitively anywhere in the line', () => {
      const pattern = compiled('econnrefused');

      expect(pattern.test('Error: connect ECONNREFUSED 127.0.0.1:5432')).toBe(true);
      expect(pattern.test('connected')).toBe(false);
    });

    it('understands classes, repeats, alternation and anchors', () => {
      const pattern = compiled('^(GET|POST) /api/\\w+/\\d{4} .*status=5\\d\\d$');

      expect(pattern.test('get /api/cases/1234 took 3ms status=503')).toBe(true);
      expect(pattern.test('GET /api/cases/1234 took 3ms status=200')).toBe(false);
    });

    it('matches punctuation literally when it has no meaning in a pattern', () => {
      const pattern = compiled('"tenant":"acme"');

      expect(pattern.test('{"msg":"hi","tenant":"ACME"}')).toBe(true);
      expect(pattern.test('{"msg":"hi","tenant":"other"}')).toBe(false);
    });

    it('shows the pattern as the user typed it', () => {
      expect(compiled('timed? out').source).toBe('timed? out');
    });
  });

  describe('when the pattern needs more than a linear-time engine offers', () => {
    it.each(['(?=.*password)x', '(?!x)a', 'a(?<=a)', '(?<!x)a'])(
      'refuses the lookaround in %s and says so',
      (source) => {
        expect(refusal(source)).toBe(
          'lookaround such as (?=…), (?!…), (?<=…) or (?<!…) is not supported: patterns use RE2 syntax, which runs in time linear in the log',
        );
      },
    );

    it.each(['(a)\\1', '(?<word>a)\\k<word>'])(
      'refuses the backreference in %s and says so',
      (source) => {
        expect(refusal(source)).toBe(
          'backreferences such as \\1 or \\k<name> are not supported: patterns use RE2 syntax, which runs in time linear in the log',
        );
      },
    );

    it('reads an escaped parenthesis before a question mark as text, not as a lookahead', () => {
      expect(compiled('\\(?=').test('x=1')).toBe(true);
    });
  });

  describe('when the pattern is malformed or too big', () => {
    it('names what is wrong with it', () => {
      expect(refusal('(unclosed')).toBe(
        '"(unclosed" is not a valid pattern (missing closing )); patterns use RE2 syntax, which runs in time linear in the log',
      );
    });

    it('refuses a pattern over the length limit and gives the limit', () => {
      expect(refusal('a'.repeat(MAX_PATTERN_CHARS + 1))).toBe(
        'the pattern has 201 characters; at most 200 are accepted',
      );
    });

    it('accepts a pattern right at the length limit', () => {
      expect(compileUserPattern('a'.repeat(MAX_PATTERN_CHARS)).ok).toBe(true);
    });

    it('refuses a short pattern that expands into a huge program', () => {
      expect(refusal('(\\w+\\s*){1000}')).toMatch(/^"\(\\w\+\\s\*\)\{1000\}" is too complex/);
    });

    it('refuses an empty pattern', () => {
      expect(refusal('')).toBe('the pattern is empty');
    });
  });
});
