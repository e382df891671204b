import { describe, expect, it } from 'vitest';
import { configDirectory } from '../../../src/commands/config-directory.js';
import type { ChatEvent } from '../../../src/core/chat-event.js';
import { issuesOf, loaded, minimalConfig, problems } from './minimal-config.js';
import { testConfig, testConfigInput } from '../../fakes/test-config.js';

const ALICE = '8bs3cp1qtfyjfbp1gzs6gpdz6o';
const OPS = '4xp9fdt77pncbef59f4k1qe83o';

describe('Mattermost ids in the config', () => {
  describe('when people and channels carry well-formed Mattermost ids', () => {
    it('passes the check', () => {
      const config = minimalConfig();
      config.people.alice = { slack: 'U01ALICE', mattermost: ALICE };
      config.environments.prod.channels = { ops: { slack: 'C01OPS', mattermost: OPS } };
      const { config: checked } = loaded(config);
      expect(checked.people.alice?.mattermost).toBe(ALICE);
      expect(checked.environments.prod?.channels.ops?.mattermost).toBe(OPS);
    });
  });

  describe('when an id has the wrong shape', () => {
    it('says what a Mattermost id looks like and where to find it', () => {
      const config = minimalConfig();
      config.people.alice = { mattermost: 'alice' };
      config.environments.prod.channels = { ops: { mattermost: 'town-square' } };
      const issues = issuesOf(config);
      expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
        [
          'people.alice.mattermost',
          expect.stringContaining('a Mattermost user id is 26 lowercase letters and digits'),
        ],
        [
          'environments.prod.channels.ops.mattermost',
          expect.stringContaining('a Mattermost channel id is 26 lowercase letters and digits'),
        ],
      ]);
      expect(issues[0]?.hint).toMatch(/System Console/);
      expect(issues[1]?.hint).toMatch(/View Info/);
    });

    it('rejects an id in capitals, as a Mattermost server never issues one', () => {
      const config = minimalConfig();
      config.people.alice = { mattermost: ALICE.toUpperCase() };
      expect(issuesOf(config).map((issue) => issue.path)).toEqual(['people.alice.mattermost']);
    });
  });

  describe('when one Mattermost account is given to two people', () => {
    it('rejects the second', () => {
      const config = minimalConfig();
      config.people.alice = { mattermost: ALICE };
      config.people.bob = { mattermost: ALICE };
      expect(problems(config)).toEqual([
        `people.bob.mattermost: mattermost id ${ALICE} is also alice's`,
      ]);
    });
  });

  describe('when a Mattermost ops channel is used by two environments', () => {
    it('rejects the second', () => {
      const config = minimalConfig();
      config.environments.prod.channels = { ops: { mattermost: OPS } };
      config.environments.staging = {
        ...structuredClone(config.environments.prod),
        stack: 'staging',
      };
      expect(problems(config)).toEqual([
        `environments.staging.channels.ops.mattermost: mattermost channel ${OPS} is also the ops channel of environment prod (environments.prod.channels.ops.mattermost)`,
      ]);
    });
  });
});

describe('configDirectory on Mattermost', () => {
  const directory = configDirectory(
    testConfig({
      people: { ...testConfigInput.people, dave: { slack: 'U04DAVE', mattermost: ALICE } },
      environments: {
        ...testConfigInput.environments,
        prod: {
          ...testConfigInput.environments.prod,
          channels: { ops: { mattermost: OPS } },
        },
      },
    }),
  );
  const event = (userId: string): ChatEvent => ({
    id: 'ev1',
    platform: 'mattermost',
    userId,
    channelId: OPS,
    text: 'status',
    receivedAt: new Date(0),
  });

  describe('when the user id is a configured person’s Mattermost id', () => {
    it('identifies that person with their roles', () => {
      expect(directory.identify(event(ALICE))).toEqual({
        person: 'dave',
        roles: new Set(['lead']),
      });
    });
  });

  describe('when the same id is configured only for another platform', () => {
    it('identifies nobody', () => {
      expect(directory.identify({ ...event('U04DAVE') })).toBeUndefined();
    });
  });

  describe('when the command comes from a configured Mattermost ops channel', () => {
    it('defaults to that environment', () => {
      expect(directory.environmentForChannel('mattermost', OPS)).toBe('prod');
      expect(directory.environmentForChannel('slack', OPS)).toBeUndefined();
    });
  });
});
