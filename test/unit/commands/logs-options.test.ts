import { describe, expect, it } from 'vitest';
import { readLogsOptions } from '../../../src/commands/logs-options.js';
import { testConfig } from '../../fakes/test-config.js';

const env = testConfig().environments.prod!;
const now = new Date('2026-12-07T12:00:00Z');
const read = (flags: Record<string, string>) =>
  readLogsOptions({ positional: [], flags }, env, now);

function refusal(flags: Record<string, string>): string {
  const options = read(flags);
  if (options.ok) throw new Error(`expected ${JSON.stringify(flags)} to be refused`);
  return options.error;
}

describe('readLogsOptions', () => {
  describe('when --since is beyond what an excerpt reads', () => {
    it('refuses 200000000d with the limit instead of asking the Engine for since=NaN', () => {
      expect(refusal({ since: '200000000d' })).toBe(
        '--since: "200000000d" is too long; at most 30d',
      );
    });

    it('refuses a number too big for a duration at all', () => {
      expect(refusal({ since: `${'9'.repeat(40)}d` })).toMatch(/^--since: "9+d" is too long/);
    });

    it('accepts 30 days and reads from 30 days ago', () => {
      const options = read({ since: '30d' });

      expect(options.ok && options.value.since).toEqual(new Date('2026-11-07T12:00:00Z'));
    });
  });

  describe('when --tail is out of range or not a plain number', () => {
    it.each(['0', '10001', '1e3', '0x10', '-5', '2.5', '99999999999999999999'])(
      'refuses %s and names the range',
      (tail) => {
        expect(refusal({ tail })).toBe(
          `--tail takes a whole number from 1 to 10000, not "${tail}"`,
        );
      },
    );

    it('accepts 10000', () => {
      const options = read({ tail: '10000' });

      expect(options.ok && options.value.tail).toBe(10_000);
    });
  });

  describe('when --grep cannot run in linear time', () => {
    it('refuses a backreference with a usage message naming it', () => {
      expect(refusal({ grep: '(a)\\1' })).toBe(
        '--grep: backreferences such as \\1 or \\k<name> are not supported: patterns use RE2 syntax, which runs in time linear in the log',
      );
    });

    it('refuses a lookahead with a usage message naming it', () => {
      expect(refusal({ grep: '^(?=.*token)' })).toBe(
        '--grep: lookaround such as (?=…), (?!…), (?<=…) or (?<!…) is not supported: patterns use RE2 syntax, which runs in time linear in the log',
      );
    });

    it('refuses a pattern over 200 characters', () => {
      expect(refusal({ grep: 'x'.repeat(201) })).toBe(
        '--grep: the pattern has 201 characters; at most 200 are accepted',
      );
    });
  });

  describe('when --grep is a pattern that backtracks forever in JavaScript', () => {
    it('accepts it, since it runs in linear time here', () => {
      const options = read({ grep: '(.|.)+zq' });

      expect(options.ok && options.value.grep?.test(`${'ab'.repeat(5000)}zq`)).toBe(true);
    });
  });

  describe('when --context is given', () => {
    it.each(['21', '-1', '2.5', 'lots', '100'])('refuses %s and names the range', (context) => {
      expect(refusal({ context })).toBe(
        `--context takes a whole number from 0 to 20, not "${context}"`,
      );
    });

    it('accepts 0 to 20', () => {
      expect(read({ context: '0' }).ok && read({ context: '20' }).ok).toBe(true);
      const options = read({ context: '3' });

      expect(options.ok && options.value.context).toBe(3);
    });
  });
});
