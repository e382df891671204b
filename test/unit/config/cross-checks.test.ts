import { describe, expect, it } from 'vitest';
import { issuesOf, load, loaded, minimalConfig, problems } from './minimal-config.js';

describe('loadConfig cross-checks', () => {
  it('accepts the minimal config', () => {
    expect(loaded(minimalConfig()).warnings).toEqual([]);
  });

  describe('when a role names a person who is not defined', () => {
    it('reports the entry and suggests the closest name', () => {
      const config = minimalConfig();
      config.roles.oncall = ['alice', 'bobb'];
      const issues = issuesOf(config);
      expect(issues).toMatchObject([
        { path: 'roles.oncall[1]', message: '"bobb" is not defined under people' },
      ]);
      expect(issues[0]?.hint).toMatch(/^did you mean "bob"\? Otherwise add bobb:/);
    });
  });

  describe('when a policy names a role that is not defined', () => {
    it('checks read, escalate and every list of every operation', () => {
      const config = minimalConfig();
      config.environments.prod.policy = {
        read: ['oncall', 'viewers'],
        escalate: ['suport'],
        restart: { request: ['oncal'], approve: ['leads'], breakGlass: ['root'] },
      };
      expect(problems(config)).toEqual([
        'environments.prod.policy.read[1]: role "viewers" is not defined under roles',
        'environments.prod.policy.escalate[0]: role "suport" is not defined under roles',
        'environments.prod.policy.restart.request[0]: role "oncal" is not defined under roles',
        'environments.prod.policy.restart.approve[0]: role "leads" is not defined under roles',
        'environments.prod.policy.restart.breakGlass[0]: role "root" is not defined under roles',
      ]);
    });
  });

  describe('when an operation can never be approved', () => {
    it('rejects approve: [] without breakGlass', () => {
      const config = minimalConfig();
      config.environments.prod.policy.stop = { request: ['lead'], approve: [] };
      expect(problems(config)).toEqual([
        'environments.prod.policy.stop.approve: nobody can approve stop: approve lists no roles and there is no breakGlass',
      ]);
    });

    it('accepts approve: [] when breakGlass roles may act alone', () => {
      const config = minimalConfig();
      config.environments.prod.policy.stop = {
        request: ['lead'],
        approve: [],
        breakGlass: ['lead'],
      };
      expect(load(config).ok).toBe(true);
    });

    it('rejects more approvals than people holding an approve role', () => {
      const config = minimalConfig();
      config.environments.prod.policy.restart!.approvals = 3;
      expect(problems(config)).toEqual([
        'environments.prod.policy.restart.approvals: restart needs 3 approvals but only 2 people hold an approve role (dave, erin)',
      ]);
    });

    it('rejects a count no requester can reach, since nobody approves their own request', () => {
      const config = minimalConfig();
      config.environments.prod.policy.stop = { request: ['lead'], approve: ['lead'], approvals: 2 };
      const issues = issuesOf(config);
      expect(issues.map((i) => i.path)).toEqual(['environments.prod.policy.stop.approvals']);
      expect(issues[0]?.message).toMatch(
        /^no stop request can ever be approved: it needs 2 approvals/,
      );
      expect(issues[0]?.hint).toMatch(/^lower approvals to 1, add another approver/);
    });

    it('warns when only some requesters could never be approved', () => {
      const config = minimalConfig();
      config.environments.prod.policy.stop = {
        request: ['oncall', 'lead'],
        approve: ['lead'],
        approvals: 2,
      };
      expect(loaded(config).warnings).toMatchObject([
        {
          path: 'environments.prod.policy.stop.approvals',
          message:
            'a stop requested by dave or erin can never be approved: it needs 2 approvals and leaves only 1 other approver',
        },
      ]);
    });

    it('counts anyone with a Discord id as a holder of a role granted by Discord role', () => {
      const config = minimalConfig();
      config.people.erin = { slack: 'U05ERIN', discord: '111111111111111115' };
      config.roles.lead = [];
      config.platformRoles = { discord: { '333333333333333333': 'lead' } };
      expect(load(config).ok).toBe(true);
    });
  });

  describe('when names or accounts collide', () => {
    it('rejects duplicate services, probes and log patterns within an environment', () => {
      const config = minimalConfig();
      const prod = config.environments.prod;
      prod.services = ['backend', 'frontend', 'backend'];
      prod.probes = [
        { name: 'health', url: 'https://a.example.com/health' },
        { name: 'health', tcp: 'db:5432' },
      ];
      prod.logs = {
        patterns: [
          { name: 'err', regex: 'ERROR' },
          { name: 'err', regex: 'FATAL' },
        ],
      };
      expect(problems(config)).toEqual([
        'environments.prod.services[2]: service "backend" is listed twice (first at [0])',
        'environments.prod.probes[1].name: probe "health" is listed twice (first at [0])',
        'environments.prod.logs.patterns[1].name: log pattern "err" is listed twice (first at [0])',
      ]);
    });

    it('rejects a probe whose service is not one of the environment’s, suggesting the closest', () => {
      const config = minimalConfig();
      config.environments.prod.probes = [
        { name: 'health', url: 'https://a.example.com/health', service: 'backnd' },
        { name: 'web', url: 'https://a.example.com/', service: 'frontend' },
      ];
      const issues = issuesOf(config);
      expect(issues).toMatchObject([
        {
          path: 'environments.prod.probes[0].service',
          message: 'service "backnd" is not one of this environment\'s services',
        },
      ]);
      expect(issues[0]?.hint).toMatch(/^did you mean "backend"\?/);
    });

    it('rejects an ops channel used by two environments', () => {
      const config = minimalConfig();
      config.environments.staging = {
        ...structuredClone(config.environments.prod),
        channels: { ops: { slack: 'C01OPS' } },
      };
      expect(problems(config)).toEqual([
        'environments.staging.channels.ops.slack: slack channel C01OPS is also the ops channel of environment prod (environments.prod.channels.ops.slack)',
      ]);
    });

    describe('when three environments escalate to one support channel', () => {
      it('passes the check, each environment keeping that support channel', () => {
        const config = minimalConfig();
        const env = config.environments.prod;
        const support = { slack: 'C09SUPPORT' };
        config.environments = {
          prod: { ...structuredClone(env), channels: { ops: { slack: 'C01OPS' }, support } },
          toucan: { ...structuredClone(env), channels: { ops: { slack: 'C02TOUCAN' }, support } },
          generic: { ...structuredClone(env), channels: { support } },
        };

        const environments = loaded(config).config.environments;

        expect(Object.keys(environments)).toEqual(['prod', 'toucan', 'generic']);
        for (const one of Object.values(environments))
          expect(one.channels.support).toEqual({ slack: 'C09SUPPORT' });
      });
    });

    it('allows one environment to use a channel for two purposes', () => {
      const config = minimalConfig();
      config.environments.prod.channels = {
        ops: { slack: 'C01OPS' },
        support: { slack: 'C01OPS' },
      };
      expect(load(config).ok).toBe(true);
    });

    it('rejects one chat account given to two people', () => {
      const config = minimalConfig();
      config.people.bob = { slack: 'U01ALICE' };
      expect(problems(config)).toEqual(["people.bob.slack: slack id U01ALICE is also alice's"]);
    });
  });

  describe('when environment references are wrong', () => {
    it('rejects a defaultEnvironment that does not exist', () => {
      const config = minimalConfig();
      config.defaultEnvironment = 'prd';
      const issues = issuesOf(config);
      expect(issues).toMatchObject([
        { path: 'defaultEnvironment', message: 'environment "prd" is not defined' },
      ]);
      expect(issues[0]?.hint).toMatch(/^did you mean "prod"\?/);
    });

    it('rejects a config without environments', () => {
      const config = { ...minimalConfig(), environments: {} };
      expect(problems(config)).toEqual(['environments: no environments are defined']);
    });

    it('rejects platformRoles that grant a role which does not exist', () => {
      const config = minimalConfig();
      config.platformRoles = { discord: { '333333333333333333': 'leed' } };
      expect(problems(config)).toEqual([
        'platformRoles.discord["333333333333333333"]: role "leed" is not defined under roles',
      ]);
    });
  });

  describe('when the watcher has nowhere to escalate', () => {
    it('requires a support channel, pointing at escalateAfter', () => {
      const config = minimalConfig();
      config.environments.prod.channels = { ops: { slack: 'C01OPS' } };
      config.environments.prod.watch = { every: '1m', escalateAfter: 3 };
      const issues = issuesOf(config);
      expect(issues.map((i) => i.path)).toEqual(['environments.prod.watch.escalateAfter']);
      expect(issues[0]?.message).toMatch(/has no support channel/);
      expect(issues[0]?.hint).toMatch(/channels: \{ support:/);
    });

    it('requires it too when escalateAfter takes its default', () => {
      const config = minimalConfig();
      config.environments.prod.channels = {};
      config.environments.prod.watch = {};
      expect(problems(config)).toEqual([
        'environments.prod.watch: the watcher escalates after repeated failed checks, but environment prod has no support channel',
      ]);
    });
  });

  describe('when the schema also finds problems', () => {
    it('still runs every cross-check', () => {
      const config = minimalConfig();
      config.command = 'Not A Command';
      config.roles.oncall = ['nobody'];
      config.environments.prod.policy.restart!.expires = 'soon';
      // In file order: the serialised test config puts `command` last.
      expect(problems(config)).toEqual([
        'roles.oncall[0]: "nobody" is not defined under people',
        'environments.prod.policy.restart.expires: "soon": expected a duration such as 30s, 15m, 2h or 1d',
        'command: "Not A Command": a lowercase slash-command name',
      ]);
    });
  });
});
