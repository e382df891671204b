import { describe, expect, it } from 'vitest';
import { persistenceVerdict } from '../../../../src/infra/redis/redis-durability.js';

describe('persistenceVerdict', () => {
  describe('when AOF is on', () => {
    it('passes without a warning for appendfsync always and everysec', () => {
      const always = persistenceVerdict({ appendonly: 'yes', appendfsync: 'always', save: '' });
      const everysec = persistenceVerdict({ appendonly: 'yes', appendfsync: 'everysec' });
      expect(always).toEqual({
        ok: true,
        warning: false,
        detail:
          'AOF, appendfsync always: acknowledged votes survive a Redis crash and a host crash',
      });
      expect(everysec.warning).toBe(false);
      expect(everysec.detail).toBe(
        'AOF, appendfsync everysec: acknowledged votes survive a Redis crash; a host crash loses up to the last second',
      );
    });

    it('warns that a host crash can lose votes with appendfsync no', () => {
      const verdict = persistenceVerdict({ appendonly: 'yes', appendfsync: 'no' });
      expect(verdict.ok).toBe(true);
      expect(verdict.warning).toBe(true);
      expect(verdict.detail).toContain('set appendfsync everysec or always');
    });
  });

  describe('when AOF is off', () => {
    it('warns that votes since the last snapshot are lost, or every vote without snapshots', () => {
      const rdb = persistenceVerdict({ appendonly: 'no', appendfsync: 'everysec', save: '3600 1' });
      const none = persistenceVerdict({ appendonly: 'no', save: '' });
      expect(rdb).toEqual({
        ok: true,
        warning: true,
        detail:
          'appendonly no: every vote since the last RDB snapshot is lost when Redis is killed; set appendonly yes',
      });
      expect(none.detail).toBe(
        'appendonly no: no RDB snapshots either: every vote is lost when Redis is killed; set appendonly yes',
      );
    });
  });

  describe('when the server refuses CONFIG', () => {
    it('says so and passes, with AOF known from INFO or not at all', () => {
      const known = persistenceVerdict({
        appendonly: 'yes',
        refused: "ERR unknown command 'CONFIG'",
      });
      const unknown = persistenceVerdict({ refused: "ERR unknown command 'CONFIG'" });
      expect(known.ok).toBe(true);
      expect(known.warning).toBe(true);
      expect(known.detail).toContain("CONFIG GET refused: ERR unknown command 'CONFIG'");
      expect(unknown).toEqual({
        ok: true,
        warning: true,
        detail:
          "persistence settings unreadable (CONFIG GET refused: ERR unknown command 'CONFIG'): make sure the server runs with appendonly yes, or votes can be lost when Redis restarts",
      });
    });
  });
});
