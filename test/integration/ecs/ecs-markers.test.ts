import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceOperator } from '../../../src/core/ports/service-operator.js';
import { createEcsContext } from '../../../src/infra/ecs/ecs-context.js';
import { createEcsOperator } from '../../../src/infra/ecs/ecs-operator.js';
import { startAwsStandIn, type AwsStandIn } from '../../stand-ins/aws/aws-stand-in.js';

const CLUSTER = 'coe-ecs-prod';
const SERVICE = 'coe-etl-prod-Service';

/** What a worker that lost the answer (or was killed after UpdateService) sends once more. */
describe('the ECS operator given a change ECS already shows', () => {
  let aws: AwsStandIn;
  let operator: ServiceOperator;
  const updates = (from: number) =>
    aws
      .targets()
      .slice(from)
      .filter((t) => t === 'UpdateService').length;
  const definition = (image: string) =>
    aws.registerTaskDefinition({
      family: 'coe-etl-prod',
      containerDefinitions: [{ name: 'api', image, essential: true }],
    });

  beforeAll(async () => {
    aws = await startAwsStandIn();
    definition('ghcr.io/dfpc-coe/cloudtak:9.1.0');
    const current = definition('ghcr.io/dfpc-coe/cloudtak:9.2.0');
    aws.createService({
      cluster: CLUSTER,
      serviceName: SERVICE,
      taskDefinition: current,
      desiredCount: 1,
    });
    const context = createEcsContext(
      {
        cluster: CLUSTER,
        services: { cloudtak: SERVICE },
        region: aws.region,
        endpoint: aws.url,
        logsEndpoint: aws.url,
        credentials: { accessKeyId: 'AKIDSTANDIN000000000', secretAccessKey: 'stand-in-secret' },
      },
      ['cloudtak'],
    );
    operator = createEcsOperator(context);
  });
  afterAll(async () => {
    await aws?.close();
  });

  it('rolls back to the recorded revision once, and a second send leaves it there', async () => {
    const before = await operator.inspect('cloudtak');
    const target = before?.previous;
    expect(target?.taskDefinition).toMatch(/task-definition\/coe-etl-prod:1$/);
    const change = {
      kind: 'rollback' as const,
      target: { image: target?.image ?? '', taskDefinition: target?.taskDefinition ?? '' },
    };
    const from = aws.calls.length;
    await operator.apply('cloudtak', change);
    await operator.apply('cloudtak', change);
    expect(updates(from)).toBe(1);
    expect(aws.service(CLUSTER, SERVICE)?.taskDefinition).toBe(target?.taskDefinition);
    expect((await operator.inspect('cloudtak'))?.taskDefinition).toBe(target?.taskDefinition);
  });

  it('makes one new deployment for a restart whose marker is already there', async () => {
    const before = await operator.inspect('cloudtak');
    const change = { kind: 'restart' as const, forceUpdate: (before?.forceUpdate ?? 0) + 1 };
    const from = aws.calls.length;
    await operator.apply('cloudtak', change);
    await operator.apply('cloudtak', change);
    expect(updates(from)).toBe(1);
    expect((await operator.inspect('cloudtak'))?.forceUpdate).toBeGreaterThanOrEqual(
      change.forceUpdate,
    );
  });

  it('scales once', async () => {
    const from = aws.calls.length;
    await operator.apply('cloudtak', { kind: 'scale', replicas: 2 });
    await operator.apply('cloudtak', { kind: 'scale', replicas: 2 });
    expect(updates(from)).toBe(1);
    expect(aws.service(CLUSTER, SERVICE)?.desiredCount).toBe(2);
  });
});
