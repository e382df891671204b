import { describe, expect, it } from 'vitest';
import {
  pickEnvironment,
  type EnvironmentSource,
  type PickEnvironmentInput,
} from '../../../src/core/pick-environment.js';

interface Layout {
  readonly names: readonly string[];
  readonly fallback?: string;
  /** Command (`ops`) channel → its environment. */
  readonly ops?: Readonly<Record<string, string>>;
  /** Any channel → every environment naming it (ops, support, …). */
  readonly served?: Readonly<Record<string, readonly string[]>>;
}

function source(layout: Layout): EnvironmentSource {
  return {
    environmentNames: () => layout.names,
    environmentForChannel: (_platform, channelId) => layout.ops?.[channelId],
    environmentsOfChannel: (_platform, channelId) => layout.served?.[channelId] ?? [],
    defaultEnvironment: () => layout.fallback,
  };
}

const three: Layout = {
  names: ['prod', 'staging', 'dev'],
  fallback: 'staging',
  ops: { C_PROD: 'prod', C_DEV: 'dev' },
  served: { C_PROD: ['prod'], C_DEV: ['dev'], C_SUPPORT: ['prod', 'dev'] },
};

function pick(layout: Layout, input: Partial<PickEnvironmentInput>) {
  return pickEnvironment(source(layout), { platform: 'slack', channelId: 'C_ELSE', ...input });
}

describe('pickEnvironment', () => {
  describe('when an environment is named explicitly', () => {
    it('picks it even in another environment’s command channel', () => {
      expect(pick(three, { asked: 'dev', channelId: 'C_PROD' })).toEqual({
        kind: 'picked',
        name: 'dev',
        because: 'explicit',
      });
    });

    it('answers unknown with close names and the known ones when it is not configured', () => {
      expect(pick(three, { asked: 'prd', channelId: 'C_PROD' })).toEqual({
        kind: 'unknown',
        asked: 'prd',
        suggestions: ['prod'],
        known: ['prod', 'staging', 'dev'],
      });
    });

    it('suggests nothing when no name is close', () => {
      const result = pick(three, { asked: 'qa-eu-west-7' });
      expect(result).toMatchObject({ kind: 'unknown', suggestions: [] });
    });
  });

  describe('when nothing is named', () => {
    it('picks the environment whose command channel this is', () => {
      expect(pick(three, { channelId: 'C_DEV' })).toEqual({
        kind: 'picked',
        name: 'dev',
        because: 'channel',
      });
    });

    it('answers ambiguous with the environments a shared channel serves, not the default', () => {
      expect(pick(three, { channelId: 'C_SUPPORT' })).toEqual({
        kind: 'ambiguous',
        candidates: ['prod', 'dev'],
      });
    });

    it('picks the configured default in a channel no environment names', () => {
      expect(pick(three, {})).toEqual({ kind: 'picked', name: 'staging', because: 'default' });
    });

    it('picks the only environment there is, in any channel', () => {
      const one: Layout = { names: ['prod'], served: { C_SUPPORT: ['prod'] } };
      expect(pick(one, {})).toEqual({ kind: 'picked', name: 'prod', because: 'only-one' });
      expect(pick(one, { channelId: 'C_SUPPORT' })).toEqual({
        kind: 'picked',
        name: 'prod',
        because: 'only-one',
      });
    });

    it('answers none with every environment when there is no default and several exist', () => {
      expect(pick({ names: ['prod', 'dev'] }, {})).toEqual({
        kind: 'none',
        candidates: ['prod', 'dev'],
      });
    });

    it('answers none when no environment is configured at all', () => {
      expect(pick({ names: [] }, {})).toEqual({ kind: 'none', candidates: [] });
    });
  });
});
