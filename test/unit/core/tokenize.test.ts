import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/core/parse/tokenize.js';

describe('tokenize', () => {
  it('splits on any whitespace', () => {
    expect(tokenize('logs  backend\t--since 15m')).toEqual({
      ok: true,
      value: ['logs', 'backend', '--since', '15m'],
    });
  });

  it('keeps a double-quoted description as one argument', () => {
    expect(tokenize('escalate "users see 502" now')).toEqual({
      ok: true,
      value: ['escalate', 'users see 502', 'now'],
    });
  });

  it('groups typographic quotes that chat clients substitute', () => {
    expect(tokenize('escalate “users see 502”')).toEqual({
      ok: true,
      value: ['escalate', 'users see 502'],
    });
  });

  it('keeps an empty quoted argument', () => {
    expect(tokenize("reject abc ''")).toEqual({ ok: true, value: ['reject', 'abc', ''] });
  });

  it('honours a backslash escape inside and outside quotes', () => {
    expect(tokenize('logs backend --grep "a\\"b" c\\ d')).toEqual({
      ok: true,
      value: ['logs', 'backend', '--grep', 'a"b', 'c d'],
    });
  });

  it('keeps a backslash that escapes nothing, so regex classes arrive as typed', () => {
    expect(tokenize('logs backend --grep "\\d+ ms\\b" \\w+ "a\\\\b"')).toEqual({
      ok: true,
      value: ['logs', 'backend', '--grep', '\\d+ ms\\b', '\\w+', 'a\\b'],
    });
  });

  it('reports an unclosed quote instead of guessing', () => {
    expect(tokenize('escalate "users see 502')).toEqual({ ok: false, error: 'unclosed quote "' });
  });
});
