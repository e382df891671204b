import { describe, expect, it } from 'vitest';
import { readReplicas } from '../../../src/commands/read-replicas.js';

describe('readReplicas', () => {
  describe('when the count is outside 0–100 or not plain digits', () => {
    it.each(['100000', '101', '-1', '1e2', '0x10', ' 5', '2.0', 'three', ''])(
      'refuses %j and names the range',
      (text) => {
        expect(readReplicas(text)).toEqual({
          ok: false,
          error: `replicas must be a whole number from 0 to 100, not "${text}"`,
        });
      },
    );
  });

  describe('when the count is within range', () => {
    it.each([
      ['0', 0],
      ['3', 3],
      ['100', 100],
    ])('reads %s', (text, replicas) => {
      expect(readReplicas(text)).toEqual({ ok: true, value: replicas });
    });
  });
});
