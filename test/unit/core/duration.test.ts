import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/lib/duration.js';

describe('parseDuration', () => {
  it.each([
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1d', 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it.each(['15', 'm', '15 minutes', '-5m', '0s', ''])(
    'refuses %j with an example of what works',
    (text) => {
      const parsed = parseDuration(text);
      expect(parsed.ok).toBe(false);
    },
  );
});

describe('formatDuration', () => {
  it('keeps chat output short', () => {
    expect(formatDuration(84)).toBe('84ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(12_000)).toBe('12s');
    expect(formatDuration(3_723_000)).toBe('1h 2m');
  });
});
