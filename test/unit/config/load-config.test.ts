import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../../../src/config/config-issue.js';
import { loadConfig, type ReadFile } from '../../../src/config/load-config.js';
import type { Result } from '../../../src/core/result.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));
const env = {
  TAS_CHATOPS_CONFIG: fixture('valid.yml'),
  DOCKER_HOST: 'unix:///var/run/docker.sock',
};

function issuesOf<T>(result: Result<T, ConfigIssue[]>): ConfigIssue[] {
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.error;
}

function loadValid() {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(JSON.stringify(result.error, null, 2));
  return result.value;
}

describe('loadConfig', () => {
  describe('when the config is valid', () => {
    it('loads the complete example with its defaults filled in', () => {
      const { config, warnings, file } = loadValid();
      const prod = config.environments.prod!;
      expect(file).toBe(env.TAS_CHATOPS_CONFIG);
      expect(warnings).toEqual([]);
      expect(config.command).toBe('tas');
      expect(config.defaultEnvironment).toBe('prod');
      expect(prod.stack).toBe('tasfix');
      expect(prod.docker).toEqual({ host: 'unix:///var/run/docker.sock', timeout: 10_000 });
      expect(prod.services).toEqual([
        'backend-cron',
        'backend',
        'frontend',
        'arango',
        'elasticsearch',
        'redis',
        'tika',
      ]);
      expect(prod.probes.map((p) => p.name)).toEqual(['liveness', 'readiness', 'frontend']);
      expect(prod.probes[0]).toMatchObject({
        url: 'http://127.0.0.1:18081/cgi-bin/liveness',
        method: 'GET',
        expect: { status: 200, json: { status: 'OK' } },
        timeout: 5000,
        severity: 'down',
      });
      expect(prod.policy.restart).toEqual({
        request: ['oncall', 'lead'],
        approve: ['lead'],
        approvals: 1,
        expires: 15 * 60_000,
        breakGlass: ['lead'],
      });
      expect(prod.policy.rollback?.budget).toEqual({ max: 3, per: 3_600_000 });
      expect(prod.watch).toEqual({ every: 60_000, escalateAfter: 3, confirm: 2 });
      expect(prod.logs.patterns).toHaveLength(13);
      expect(config.platformRoles.discord).toEqual({ '333333333333333333': 'oncall' });
    });

    it('freezes the whole config, so any change throws', () => {
      const { config } = loadValid();
      const prod = config.environments.prod!;
      expect(Object.isFrozen(config)).toBe(true);
      expect(() => {
        config.command = 'other';
      }).toThrow(TypeError);
      expect(() => {
        prod.services.push('intruder');
      }).toThrow(TypeError);
      expect(() => {
        prod.policy.restart!.approvals = 0;
      }).toThrow(TypeError);
      expect(() => {
        config.roles.lead = ['mallory'];
      }).toThrow(TypeError);
    });

    it('reads the file through the injected readFile', () => {
      const text = readFileSync(fixture('valid.yml'), 'utf8');
      const reads: string[] = [];
      const readFile: ReadFile = (path) => {
        reads.push(path);
        return text;
      };
      const result = loadConfig(
        { ...env, TAS_CHATOPS_CONFIG: '/etc/tas-chatops/config.yml' },
        readFile,
      );
      expect(result.ok).toBe(true);
      expect(reads).toEqual(['/etc/tas-chatops/config.yml']);
    });
  });

  describe('when TAS_CHATOPS_CONFIG is not set', () => {
    it('says which variable to set, without reading anything', () => {
      const readFile: ReadFile = () => {
        throw new Error('must not read');
      };
      const issues = issuesOf(loadConfig({ TAS_CHATOPS_CONFIG: '' }, readFile));
      expect(issues).toMatchObject([{ path: 'TAS_CHATOPS_CONFIG', message: 'is not set' }]);
      expect(issues[0]?.hint).toMatch(/TAS_CHATOPS_CONFIG=\/etc\/tas-chatops\/config.yml/);
    });
  });

  describe('when the file cannot be read', () => {
    it('names the file and what to check', () => {
      const issues = issuesOf(loadConfig({ TAS_CHATOPS_CONFIG: fixture('missing.yml') }));
      expect(issues.map((i) => i.path)).toEqual(['TAS_CHATOPS_CONFIG']);
      expect(issues[0]?.message).toMatch(/^cannot read .*missing\.yml: ENOENT/);
      expect(issues[0]?.hint).toMatch(/working directory/);
    });
  });

  describe('when several things are wrong', () => {
    const issues = issuesOf(loadConfig({ TAS_CHATOPS_CONFIG: fixture('evil.yml') }));
    const find = (path: string) => issues.filter((i) => i.path === path);

    it('lists every problem with its path', () => {
      const expected: [string, RegExp][] = [
        ['lols.l4', /aliases here expand past 100 nodes/],
        ['lols.l6', /aliases here expand past 100 nodes/],
        ['people.alice.discord', /unquoted number 111111111111111111 is too large to keep exactly/],
        ['people.bob.slack', /U01ALICE is also alice's/],
        ['people.__proto__', /not allowed/],
        ['people.dave.email', /unknown key "email"/],
        ['roles.oncall[1]', /"bobb" is not defined under people/],
        ['platformRoles.discord["333333333333333333"]', /role "admins" is not defined/],
        ['defaultEnvironment', /environment "production" is not defined/],
        ['environments.prod.docker.host', /environment variable EVIL_DOCKER_HOST is not set/],
        ['environments.prod.url', /expected an http:\/\/ or https:\/\/ URL/],
        ['environments.prod.services[2]', /service "backend" is listed twice/],
        ['environments.prod.probes[0].url', /expected an http:\/\/ or https:\/\/ URL/],
        ['environments.prod.probes[1].name', /probe "liveness" is listed twice/],
        ['environments.prod.probes[2].timout', /unknown key "timout"/],
        ['environments.prod.policy.read[2]', /role "visitors" is not defined/],
        ['environments.prod.policy.restart.expires', /"15 minutes": expected a duration/],
        ['environments.prod.policy.restart.aprove', /unknown key "aprove"/],
        [
          'environments.prod.policy.restart.approvals',
          /needs 3 approvals but only 1 person holds an approve role \(dave\)/,
        ],
        ['environments.prod.policy.stop.approve', /nobody can approve stop/],
        ['environments.prod.watch.escalateAfter', /no support channel/],
        ['environments.prod.logs.patterns[0].regex', /not a valid regular expression/],
        ['environments.staging.platform', /"kubernetes": expected one of swarm, compose, ecs/],
        [
          'environments.staging.channels.ops.slack',
          /C01OPS is also the ops channel of environment prod/,
        ],
        ['environments.staging.policy.scale.expires', /"1y": expected a duration/],
        ['environments.staging.policy.scale.approvals', /needs 2 approvals/],
      ];
      for (const [path, message] of expected) {
        expect(
          find(path).map((i) => i.message),
          path,
        ).toHaveLength(1);
        expect(find(path)[0]?.message, path).toMatch(message);
      }
      expect(issues).toHaveLength(expected.length + 2); // also: lols (unknown key), lols.l5
    });

    it('places each problem on its line, in file order, with a hint', () => {
      expect(find('roles.oncall[1]')[0]).toMatchObject({ line: 18 });
      expect(find('environments.staging.platform')[0]).toMatchObject({ line: 45 });
      const lines = issues.map((i) => i.line ?? 0);
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
      expect(issues.every((i) => i.line !== undefined && i.hint !== undefined)).toBe(true);
    });

    it('suggests the key or name that was probably meant', () => {
      expect(find('environments.prod.policy.restart.aprove')[0]?.hint).toBe(
        'did you mean "approve"?',
      );
      expect(find('environments.prod.probes[2].timout')[0]?.hint).toBe('did you mean "timeout"?');
      expect(find('roles.oncall[1]')[0]?.hint).toMatch(/did you mean "bob"\?/);
      expect(find('people.alice.discord')[0]?.hint).toBe('quote it: "111111111111111111"');
    });

    it('reports a missing variable once, not again as an invalid value', () => {
      expect(issues.filter((i) => i.path.startsWith('environments.prod.docker'))).toHaveLength(1);
    });
  });

  describe('when an alias bomb is nested deeper than the guard allows', () => {
    it('stops expanding and reports it', () => {
      const levels = Array.from({ length: 12 }, (_, i) =>
        i === 0
          ? 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'
          : `a${i}: &a${i} [${Array<string>(10)
              .fill(`*a${i - 1}`)
              .join(', ')}]`,
      );
      const text = `facts:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
      const issues = issuesOf(loadConfig({ TAS_CHATOPS_CONFIG: 'bomb.yml' }, () => text));
      expect(
        issues.filter((i) => i.message.includes('aliases here expand')).map((i) => i.path),
      ).toEqual(
        Array.from({ length: 9 }, (_, i) => `facts.a${i + 3}`), // a2 expands to exactly 100
      );
    });
  });

  describe('when the YAML is broken', () => {
    it('gives the line and column of every syntax error', () => {
      const issues = issuesOf(loadConfig({ TAS_CHATOPS_CONFIG: fixture('broken.yml') }));
      expect(issues.map(({ path, line, column }) => ({ path, line, column }))).toEqual([
        { path: '', line: 4, column: 1 },
        { path: '', line: 9, column: 1 },
      ]);
      expect(issues[0]?.message).toMatch(/Flow map .* must .* end with a \}/);
      expect(issues[1]?.message).toMatch(/Tabs are not allowed/);
      expect(issues[1]?.hint).toBe('YAML indents with spaces, never tabs');
    });

    it('reports a key given twice', () => {
      const issues = issuesOf(
        loadConfig({ TAS_CHATOPS_CONFIG: 'dup.yml' }, () => 'command: tas\ncommand: ops\n'),
      );
      expect(issues).toMatchObject([
        {
          path: '',
          line: 2,
          column: 1,
          hint: 'a key may appear once per mapping; merge the two entries',
        },
      ]);
      expect(issues[0]?.message).toMatch(/unique/);
    });
  });

  describe('when the file is empty or not a mapping', () => {
    it.each([
      ['', 'the file is empty'],
      ['# only a comment\n', 'the file is empty'],
      ['- a\n- b\n', 'the top level must be a mapping (key: value)'],
      ['just text\n', 'the top level must be a mapping (key: value)'],
    ])('rejects %j', (text, message) => {
      expect(issuesOf(loadConfig({ TAS_CHATOPS_CONFIG: 'x.yml' }, () => text))).toMatchObject([
        { path: '', message },
      ]);
    });
  });

  describe('when a Discord id is written as an unquoted number', () => {
    it('reports the lost digits, for keys as well as values', () => {
      const text = [
        'people:',
        '  alice: { slack: U01ALICE, discord: 111111111111111111 }',
        'roles: { lead: [alice] }',
        'platformRoles:',
        '  discord:',
        '    333333333333333333: lead',
        'environments:',
        '  prod: { platform: swarm, stack: prod, services: [backend], policy: { read: [lead] } }',
      ].join('\n');
      const result = loadConfig({ TAS_CHATOPS_CONFIG: 'ids.yml' }, () => text);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.map(({ path, line, hint }) => ({ path, line, hint }))).toEqual([
        { path: 'people.alice.discord', line: 2, hint: 'quote it: "111111111111111111"' },
        {
          path: 'platformRoles.discord["333333333333333300"]',
          line: 6,
          hint: 'quote it: "333333333333333333"',
        },
      ]);
    });
  });
});
