import { describe, expect, it } from 'vitest';
import { parseUpdateQuery } from '../../../../src/infra/http/socket-proxy-query.js';

const ROLLBACK_REASON =
  'the query parameter "rollback=previous" is not allowed: the bot rolls back by an explicit update to the image recorded at plan time, never by Swarm\'s rollback';

describe('parseUpdateQuery', () => {
  describe('when the query is what the bot sends', () => {
    it('reads the version', () => {
      expect(parseUpdateQuery('version=42')).toEqual({ ok: true, version: 42 });
      expect(parseUpdateQuery('version=0')).toEqual({ ok: true, version: 0 });
    });
  });

  describe('when the query asks for the Engine’s rollback', () => {
    it('refuses it, saying the bot rolls back by an explicit update', () => {
      for (const query of [
        'version=7&rollback=previous',
        'rollback=previous&version=7',
        'rollback=previous',
      ])
        expect(parseUpdateQuery(query), query).toEqual({ ok: false, reason: ROLLBACK_REASON });
      expect(parseUpdateQuery('version=7&rollback=none')).toMatchObject({
        ok: false,
        reason: expect.stringContaining('the bot rolls back by an explicit update') as unknown,
      });
    });
  });

  describe('when the query holds anything else', () => {
    it('refuses it, naming the parameter', () => {
      const refused = [
        '',
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
        'version=1&rollback=previous&rollback=previous',
        'version=1&registryAuthFrom=previous-spec',
        'version=1&registryAuthFrom=spec',
        'version=1&insertDefaults=true',
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
