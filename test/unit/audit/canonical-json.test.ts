import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/audit/canonical-json.js';

describe('canonicalJson', () => {
  it('gives the same text whatever order keys were written in, at every depth', () => {
    const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 'x' } };
    const b = { a: { x: 'x', y: [1, { p: 2, q: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[1,{"p":2,"q":1}]},"b":1}');
  });

  it('sorts integer-like keys as text, not in the numeric order JavaScript keeps them in', () => {
    expect(canonicalJson({ b: 0, 10: 1, 9: 2 })).toBe('{"10":1,"9":2,"b":0}');
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('drops undefined members and writes undefined array items as null, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined], c: null })).toBe('{"b":[null],"c":null}');
  });

  it('uses toJSON, so a Date hashes like the ISO string it is stored as', () => {
    const at = new Date('2024-05-01T12:04:00.000Z');
    expect(canonicalJson({ at })).toBe(canonicalJson({ at: at.toISOString() }));
  });

  it('escapes strings the way JSON.stringify does', () => {
    expect(canonicalJson({ 'k"ey': 'line\nbreak ✓' })).toBe(
      JSON.stringify({ 'k"ey': 'line\nbreak ✓' }),
    );
  });
});
