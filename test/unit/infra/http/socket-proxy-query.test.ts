import { describe, expect, it } from 'vitest';
import { parseUpdateQuery } from '../../../../src/infra/http/socket-proxy-query.js';

describe('parseUpdateQuery', () => {
  describe('when the query is what the bot sends', () => {
    it('reads the version and a rollback', () => {
      expect(parseUpdateQuery('version=42')).toEqual({ ok: true, version: 42, rollback: false });
      expect(parseUpdateQuery('version=7&rollback=previous')).toEqual({
        ok: true,
        version: 7,
        rollback: true,
      });
      expect(parseUpdateQuery('rollback=previous&version=7')).toMatchObject({ rollback: true });
    });
  });

  describe('when the query holds anything else', () => {
    it('refuses it, naming the parameter', () => {
      const refused = [
        '',
        'rollback=previous',
        'version=',
        'version=1&version=2',
        'version=1&version=1',
        'version=-1',
        'version=1e3',
        'version=%31',
        'version=1+',
        'version=1;rollback=previous',
        'version=1&',
        'version=1&&rollback=previous',
        'version=1&rollback=none',
        'version=1&rollback=previous&rollback=previous',
        'version=1&registryAuthFrom=previous-spec',
        'version=1&registryAuthFrom=spec',
        'version=1&Version=2',
        'version=1&x=1',
        'VERSION=1',
        'version=1234567890123456',
      ];
      for (const query of refused) expect(parseUpdateQuery(query).ok, query).toBe(false);
      expect(parseUpdateQuery('version=1&registryAuthFrom=previous-spec')).toEqual({
        ok: false,
        reason: 'the query parameter "registryAuthFrom=previous-spec" is not allowed',
      });
      expect(parseUpdateQuery('')).toEqual({
        ok: false,
        reason: 'an update needs ?version=<index>',
      });
    });
  });
});
