import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/config/load-config.js';
import { DependencyError } from '../../../../src/core/errors.js';
import { createPlatformClients } from '../../../../src/infra/create-platform-clients.js';
import { toAwsError } from '../../../../src/infra/ecs/to-aws-error.js';

const config = (environment: string) => `
people: { dave: { slack: U04DAVE } }
roles: { lead: [dave] }
environments:
  cloudtak:
    platform: ecs
    stack: cloudtak
${environment}
    services: [cloudtak]
    policy: { read: [lead] }
`;

describe('ECS environments in the config', () => {
  it('require an ecs block, listed with every other problem', () => {
    const loaded = parseConfig(config('    bogus: true'), {});
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.map((e) => e.path)).toEqual(
      expect.arrayContaining(['environments.cloudtak.ecs', 'environments.cloudtak.bogus']),
    );
    expect(loaded.error.find((e) => e.path === 'environments.cloudtak.ecs')?.message).toContain(
      'platform ecs needs an ecs block',
    );
  });

  it('give ECS clients for the cluster, mapping chat names to ECS service names', () => {
    const loaded = parseConfig(
      config(
        '    ecs: { cluster: coe-ecs-prod, region: us-gov-east-1, services: { cloudtak: coe-etl-prod-Service } }',
      ),
      {},
    );
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    const env = loaded.value.config.environments.cloudtak;
    if (env === undefined) throw new Error('no environment');
    expect(env.ecs).toMatchObject({
      cluster: 'coe-ecs-prod',
      region: 'us-gov-east-1',
      services: { cloudtak: 'coe-etl-prod-Service' },
    });
    const clients = createPlatformClients(env, {
      awsCredentials: { accessKeyId: 'AKID', secretAccessKey: 'x' },
    });
    expect(typeof clients.platform.listServices).toBe('function');
    expect(clients.operator.unsupported).toBeUndefined();
  });

  it('reject a region that is not one', () => {
    const loaded = parseConfig(config('    ecs: { cluster: c, region: "east 1" }'), {});
    expect(loaded.ok ? [] : loaded.error.map((e) => e.path)).toEqual([
      'environments.cloudtak.ecs.region',
    ]);
  });
});

describe('toAwsError', () => {
  const where = 'cluster coe-ecs-prod in us-gov-east-1';

  it('says what to check when the endpoint cannot be reached', () => {
    const error = toAwsError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      'ECS',
      'DescribeServices',
      where,
    );
    expect(error).toBeInstanceOf(DependencyError);
    expect(error.dependency).toBe('ecs');
    expect(error.message).toBe(
      `AWS ECS (${where}) did not answer DescribeServices (ECONNREFUSED). Check the network path to the endpoint (a VPC endpoint needs ecs.endpoint).`,
    );
  });

  it('names the permissions the bot needs when access is denied', () => {
    const denied = Object.assign(
      new Error('User is not authorized to perform: ecs:UpdateService'),
      { name: 'AccessDeniedException' },
    );
    expect(toAwsError(denied, 'ECS', 'UpdateService', where).message).toContain(
      'needs ecs:Describe*, ecs:List*, ecs:UpdateService and logs:FilterLogEvents',
    );
  });

  it('explains missing credentials', () => {
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(toAwsError(missing, 'CloudWatch Logs', 'FilterLogEvents', where).message).toContain(
      'no AWS credentials for FilterLogEvents',
    );
  });
});
