import { stringify } from 'yaml';
import type { ConfigIssue } from '../../../src/config/config-issue.js';
import type { Env } from '../../../src/config/interpolate.js';
import { parseConfig } from '../../../src/config/load-config.js';
import type { ConfigInput } from '../../../src/config/schema.js';

type EnvironmentInput = ConfigInput['environments'][string];

/** A small valid config as plain data; each test changes the part it is about. */
export function minimalConfig(): ConfigInput & { environments: { prod: EnvironmentInput } } {
  return {
    people: {
      alice: { slack: 'U01ALICE' },
      bob: { slack: 'U02BOB' },
      dave: { slack: 'U04DAVE' },
      erin: { slack: 'U05ERIN' },
      sam: { slack: 'U06SAM' },
    },
    roles: { oncall: ['alice', 'bob'], lead: ['dave', 'erin'], support: ['sam'] },
    environments: {
      prod: {
        platform: 'swarm',
        stack: 'prod',
        services: ['backend', 'frontend'],
        channels: { ops: { slack: 'C01OPS' }, support: { slack: 'C02SUPPORT' } },
        policy: {
          read: ['oncall', 'lead'],
          restart: { request: ['oncall', 'lead'], approve: ['lead'], approvals: 1 },
        },
      },
    },
  };
}

/** Loads `config` (data, or YAML text) as if it were the file. */
export function load(config: unknown, env: Env = {}) {
  return parseConfig(typeof config === 'string' ? config : stringify(config), env, 'test.yml');
}

/** The issues of a config expected to fail. */
export function issuesOf(config: unknown, env: Env = {}): ConfigIssue[] {
  const result = load(config, env);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.error;
}

/** The issues of a config expected to fail, as `path: message` lines (for readable diffs). */
export function problems(config: unknown, env: Env = {}): string[] {
  return issuesOf(config, env).map((issue) => `${issue.path}: ${issue.message}`);
}

/** The loaded config of one expected to pass. */
export function loaded(config: unknown, env: Env = {}) {
  const result = load(config, env);
  if (!result.ok) throw new Error(JSON.stringify(result.error, null, 2));
  return result.value;
}
