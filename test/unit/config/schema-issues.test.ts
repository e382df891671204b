import { describe, expect, it } from 'vitest';
import { issuesOf, minimalConfig, problems } from './minimal-config.js';

describe('loadConfig schema issues', () => {
  describe('when a required field is missing', () => {
    it('says it is required and what to write', () => {
      const config = minimalConfig();
      const prod: Record<string, unknown> = { ...config.environments.prod };
      delete prod.platform;
      const issues = issuesOf({ ...config, environments: { prod } });
      expect(issues).toMatchObject([
        { path: 'environments.prod.platform', message: 'is required' },
      ]);
      expect(issues[0]?.hint).toMatch(/^swarm \(Docker Swarm stack\)/);
    });
  });

  describe('when a value has the wrong type or size', () => {
    it('names the expected and the given type', () => {
      const config = minimalConfig();
      const prod = { ...config.environments.prod, services: 'backend' };
      expect(problems({ ...config, environments: { prod } })).toEqual([
        'environments.prod.services: expected a list, got text',
      ]);
    });

    it('uses the schema message for an empty service list', () => {
      const config = minimalConfig();
      config.environments.prod.services = [];
      expect(problems(config)).toEqual([
        'environments.prod.services: list the stack services in runbook stop order',
      ]);
    });

    it('explains that a fact is a single value', () => {
      const config = { ...minimalConfig() };
      const prod = { ...config.environments.prod, facts: { versions: ['5.15', '5.16'] } };
      const issues = issuesOf({ ...config, environments: { prod } });
      expect(issues).toMatchObject([
        {
          path: 'environments.prod.facts.versions',
          message: 'a list that matches none of the allowed forms',
          hint: 'a fact is one value: text, a number, or true/false',
        },
      ]);
    });
  });

  describe('when a chat id has the wrong shape', () => {
    it('shows what a Slack or Discord id of that kind looks like', () => {
      const config = minimalConfig();
      config.people.alice = { slack: 'alice', discord: '12' };
      config.environments.prod.channels = { ops: { slack: 'ops' } };
      const issues = issuesOf(config);
      expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
        ['people.alice.slack', expect.stringContaining('a Slack user id looks like U01ABCDEF')],
        [
          'people.alice.discord',
          expect.stringContaining('a Discord user id is a numeric snowflake, quoted in YAML'),
        ],
        [
          'environments.prod.channels.ops.slack',
          expect.stringContaining('a Slack channel id looks like C01ABCDEF'),
        ],
      ]);
    });
  });

  describe('when an enum value is misspelt', () => {
    it('suggests the closest option', () => {
      const config = minimalConfig();
      config.environments.prod.platform = 'swarn' as 'swarm';
      const issues = issuesOf(config);
      expect(issues).toMatchObject([
        {
          path: 'environments.prod.platform',
          message: '"swarn": expected one of swarm, compose, ecs',
          hint: 'did you mean "swarm"?',
        },
      ]);
    });
  });

  describe('when a name used as a key is invalid', () => {
    it('reports the key with the naming rule', () => {
      const config = minimalConfig();
      config.people['alice smith'] = { slack: 'U07SMITH' };
      expect(problems(config)).toEqual([
        'people["alice smith"]: "alice smith" is not a valid name: use letters, digits, "-", "_" or "." (no spaces)',
      ]);
    });
  });

  describe('when a probe matches neither the HTTP nor the TCP form', () => {
    it('reports the form it is closest to', () => {
      const config = minimalConfig();
      config.environments.prod.probes = [
        { name: 'db', tcp: 'db:5432', expect: { status: 200 } },
        { name: 'web', url: 'ftp://a.example.com/', method: 'GET' },
      ];
      expect(problems(config)).toEqual([
        'environments.prod.probes[0].expect: unknown key "expect"',
        'environments.prod.probes[1].url: "ftp://a.example.com/": expected an http:// or https:// URL',
      ]);
    });

    it('says what a probe needs when it is as close to both forms', () => {
      const config = minimalConfig();
      config.environments.prod.probes = [
        { name: 'web', url: 'https://a.example.com/', tcp: 'a:1' },
      ];
      expect(problems(config)).toEqual([
        'environments.prod.probes[0]: a mapping that matches none of the allowed forms',
      ]);
    });

    it('says what a probe needs when it has neither url nor tcp', () => {
      const config = minimalConfig();
      config.environments.prod.probes = [{ name: 'nothing' } as never];
      expect(issuesOf(config)).toMatchObject([
        {
          path: 'environments.prod.probes[0]',
          message: 'a mapping that matches none of the allowed forms',
          hint: 'an HTTP probe has name and url; a TCP probe has name and tcp: host:port',
        },
      ]);
    });
  });
});
