import { describe, expect, it } from 'vitest';
import { matchJsonSubset } from '../../../../src/infra/probes/match-json-subset.js';

describe('matchJsonSubset', () => {
  it('accepts a body with extra fields', () => {
    expect(matchJsonSubset({ status: 'OK' }, { status: 'OK', uptime: 12 })).toBeUndefined();
  });

  it('names the nested path that differs', () => {
    expect(matchJsonSubset({ checks: { db: 'UP' } }, { checks: { db: 'DOWN' } })).toBe(
      'expected checks.db "UP", got "DOWN"',
    );
  });

  it('reports a missing field as got nothing', () => {
    expect(matchJsonSubset({ status: 'OK' }, {})).toBe('expected status "OK", got nothing');
  });

  it('matches list elements in any order', () => {
    expect(
      matchJsonSubset([{ name: 'es' }], [{ name: 'db' }, { name: 'es', up: true }]),
    ).toBeUndefined();
    expect(matchJsonSubset({ checks: [{ name: 'tika' }] }, { checks: [{ name: 'db' }] })).toBe(
      'expected checks to contain {"name":"tika"}',
    );
  });

  it('does not confuse a list with an object or a string with a number', () => {
    expect(matchJsonSubset({ a: {} }, { a: [] })).toBe('expected a to be an object, got []');
    expect(matchJsonSubset({ code: 200 }, { code: '200' })).toBe('expected code 200, got "200"');
  });

  it('shortens a long value where a token ends, never through one', () => {
    const got = { db: 'DOWN', url: 'postgres://app:S3cretPassw0rd@db:5432/app' };

    expect(matchJsonSubset({ status: { db: 'UP' } }, { status: got })).toBe(
      'expected status.db "UP", got "DOWN"',
    );
    expect(matchJsonSubset({ status: 'OK' }, { status: got })).toBe(
      'expected status "OK", got {"db":"DOWN","url":"…',
    );
  });
});
