import { configSchema, type Config, type ConfigInput } from '../../src/config/schema.js';

/** A small but complete config: two environments, on-call, leads, support, per-platform ids. */
export const testConfigInput = {
  command: 'tas',
  people: {
    alice: { slack: 'U01ALICE', discord: '111111111111111111' },
    bob: { slack: 'U02BOB' },
    dave: { slack: 'U04DAVE', discord: '444444444444444444' },
    erin: { slack: 'U05ERIN' },
    sam: { slack: 'U06SAM' },
    mallory: { slack: 'U07MALLORY' },
  },
  roles: { oncall: ['alice', 'bob'], lead: ['dave', 'erin'], support: ['sam'] },
  platformRoles: { discord: { '999999999999999999': 'lead' } },
  environments: {
    prod: {
      platform: 'swarm',
      stack: 'prod',
      services: ['backend-cron', 'backend', 'frontend'],
      channels: {
        ops: { slack: 'C01OPS', discord: '222222222222222222' },
        support: { slack: 'C02SUP' },
      },
      policy: {
        read: ['oncall', 'lead', 'support'],
        restart: { request: ['oncall', 'lead'], approve: ['lead'], approvals: 1, expires: '15m' },
      },
    },
    staging: {
      platform: 'swarm',
      stack: 'staging',
      services: ['backend'],
      channels: { ops: { slack: 'C03STG' } },
      policy: { read: ['lead'] },
    },
  },
} satisfies ConfigInput;

export function testConfig(overrides: Partial<ConfigInput> = {}): Config {
  return configSchema.parse({ ...testConfigInput, ...overrides });
}
