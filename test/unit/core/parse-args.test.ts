import { describe, expect, it } from 'vitest';
import { parseArgs, type FlagSpec } from '../../../src/core/parse/parse-args.js';

const specs: FlagSpec[] = [
  { name: 'since', type: 'string' },
  { name: 'tail', type: 'string' },
  { name: 'force', type: 'boolean' },
];

describe('parseArgs', () => {
  it('reads --flag value and --flag=value alike', () => {
    const parsed = parseArgs(['backend', '--since', '15m', '--tail=200'], specs);
    expect(parsed).toEqual({
      ok: true,
      value: { positional: ['backend'], flags: { since: '15m', tail: '200' } },
    });
  });

  it('reads a boolean flag without a value', () => {
    expect(parseArgs(['--force', 'x'], specs)).toEqual({
      ok: true,
      value: { positional: ['x'], flags: { force: true } },
    });
  });

  it('refuses an unknown flag and names the known ones', () => {
    const parsed = parseArgs(['--sinec', '15m'], specs);
    expect(parsed).toEqual({
      ok: false,
      error: 'unknown flag --sinec; this command takes --since, --tail, --force',
    });
  });

  it('refuses a flag without its value', () => {
    expect(parseArgs(['backend', '--since'], specs)).toEqual({
      ok: false,
      error: '--since needs a value',
    });
    expect(parseArgs(['--since', '--tail', '5'], specs)).toEqual({
      ok: false,
      error: '--since needs a value',
    });
  });

  it('refuses a flag given twice', () => {
    expect(parseArgs(['--tail', '1', '--tail=2'], specs)).toEqual({
      ok: false,
      error: '--tail is given twice',
    });
  });

  it('treats everything after -- as positional', () => {
    expect(parseArgs(['--', '--since'], specs)).toEqual({
      ok: true,
      value: { positional: ['--since'], flags: {} },
    });
  });
});
