import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsStandIn, type AwsStandIn } from '../../stand-ins/aws/aws-stand-in.js';
import {
  rowValue,
  startPlatformHarness,
  textOf,
  type PlatformHarness,
} from '../compose/platform-harness.js';

const CLUSTER = 'coe-ecs-prod';
const SERVICE = 'coe-etl-prod-Service';
const GROUP = '/ecs/coe-etl-prod';

/** CloudTAK as the DevOps guide describes it: one ECS service on a cluster, logs in CloudWatch. */
describe('CloudTAK on AWS ECS (stand-in)', () => {
  let aws: AwsStandIn;
  let h: PlatformHarness;
  let firstTask: string;

  beforeAll(async () => {
    aws = await startAwsStandIn();
    aws.createLogGroup(GROUP);
    const definition = aws.registerTaskDefinition({
      family: 'coe-etl-prod',
      containerDefinitions: [
        {
          name: 'api',
          image: 'ghcr.io/dfpc-coe/cloudtak:9.2.0',
          essential: true,
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': GROUP,
              'awslogs-region': aws.region,
              'awslogs-stream-prefix': 'coe-etl-prod',
            },
          },
        },
      ],
    });
    aws.createService({
      cluster: CLUSTER,
      serviceName: SERVICE,
      taskDefinition: definition,
      desiredCount: 1,
    });
    firstTask = aws.service(CLUSTER, SERVICE)?.tasks[0]?.taskArn.split('/').pop() ?? '';
    aws.putLogEvents(
      GROUP,
      `coe-etl-prod/api/${firstTask}`,
      [
        '{"level":"error","msg":"ETL layer 7 failed: connect ECONNREFUSED 127.0.0.1:8443"}',
        '{"level":"info","msg":"GET /api/connection 200"}',
      ],
      60_000,
    );
    h = await startPlatformHarness(
      `    platform: ecs
    stack: cloudtak
    ecs:
      cluster: ${CLUSTER}
      region: ${aws.region}
      endpoint: "${aws.url}"
      logsEndpoint: "${aws.url}"
      services: { cloudtak: ${SERVICE} }
    services: [cloudtak]`,
      {
        awsCredentials: { accessKeyId: 'AKIDSTANDIN000000000', secretAccessKey: 'stand-in-secret' },
      },
    );
  });
  afterAll(async () => {
    await h?.close();
    await aws?.close();
  });

  it('reports the counts, the image tag and the primary deployment’s rollout state', async () => {
    const from = aws.calls.length;
    const reply = await h.say('alice', '/tas status');
    expect(reply.title).toBe('sys: OK');
    expect(rowValue(reply, 'cloudtak')).toBe('1/1  9.2.0  deployment: primary rev 1 COMPLETED 1/1');
    expect(aws.failedCalls(from)).toEqual([]);
    const snapshot = reply.data as {
      services: { state: { fullName: string; update?: { state: string; message?: string } } }[];
    };
    expect(snapshot.services[0]?.state.fullName).toBe(SERVICE);
    expect(snapshot.services[0]?.state.update).toEqual({
      state: 'completed',
      message: 'primary rev 1 COMPLETED 1/1',
    });
  });

  it('reads the task definition’s awslogs group', async () => {
    const text = textOf(await h.say('alice', '/tas logs cloudtak --since 15m'));
    expect(text).toContain('ETL layer 7 failed: connect ECONNREFUSED 127.0.0.1:8443');
    expect(
      aws.calls.filter((c) => c.target.endsWith('FilterLogEvents')).at(-1)?.body,
    ).toMatchObject({ logGroupName: GROUP, logStreamNamePrefix: 'coe-etl-prod/api/' });
  });

  it('restarts by forcing a new deployment, never by stopping the task, and waits for it to complete', async () => {
    const before = aws.service(CLUSTER, SERVICE)?.deployments[0]?.id;
    const { card, verdict } = await h.approved('/tas restart cloudtak');
    expect(card.title).toMatch(/^restart sys_cloudtak — waiting for approval/);
    expect(verdict.title).toBe('Verified: restart cloudtak: done and verified');

    const updates = aws.calls.filter((c) => c.target.endsWith('.UpdateService'));
    expect(updates.map((c) => c.body)).toEqual([
      { cluster: CLUSTER, service: SERVICE, forceNewDeployment: true },
    ]);
    expect(aws.targets()).not.toContain('StopTask');

    const after = aws.service(CLUSTER, SERVICE);
    expect(after?.deployments).toHaveLength(1);
    expect(after?.deployments[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'COMPLETED' });
    expect(after?.deployments[0]?.id).not.toBe(before);
    const running = after?.tasks.filter((t) => t.lastStatus === 'RUNNING') ?? [];
    expect(running).toHaveLength(1);
    expect(running[0]?.taskArn).not.toContain(firstTask);
    expect(after?.tasks.find((t) => t.taskArn.endsWith(firstTask))).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'ServiceSchedulerInitiated',
    });

    // The rollout takes three polls in the stand-in: verification waited for it to complete.
    const polls = aws.targets().slice(aws.targets().indexOf('UpdateService'));
    expect(polls.filter((t) => t === 'DescribeServices').length).toBeGreaterThanOrEqual(3);
  });

  it('records in the audit how the restart was verified', async () => {
    const audit = await h.say('alice', '/tas audit');
    expect(textOf(audit)).toContain(
      'restart cloudtak · requested by alice · approved by dave · succeeded (verified: deployment completed, 1/1 running)',
    );
  });
});

describe('CloudTAK changes other than a restart (stand-in)', () => {
  let aws: AwsStandIn;
  let h: PlatformHarness;

  beforeAll(async () => {
    aws = await startAwsStandIn();
    aws.createLogGroup(GROUP);
    const container = (image: string) => ({
      name: 'api',
      image,
      essential: true,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': GROUP, 'awslogs-stream-prefix': 'coe-etl-prod' },
      },
    });
    aws.registerTaskDefinition({
      family: 'coe-etl-prod',
      containerDefinitions: [container('ghcr.io/dfpc-coe/cloudtak:9.1.0')],
    });
    const current = aws.registerTaskDefinition({
      family: 'coe-etl-prod',
      containerDefinitions: [container('ghcr.io/dfpc-coe/cloudtak:9.2.0')],
      cpu: '1024',
      memory: '4096',
    });
    aws.createService({
      cluster: CLUSTER,
      serviceName: SERVICE,
      taskDefinition: current,
      desiredCount: 1,
    });
    h = await startPlatformHarness(
      `    platform: ecs
    stack: cloudtak
    ecs: { cluster: ${CLUSTER}, region: ${aws.region}, endpoint: "${aws.url}", logsEndpoint: "${aws.url}", services: { cloudtak: ${SERVICE} } }
    services: [cloudtak]`,
      {
        awsCredentials: { accessKeyId: 'AKIDSTANDIN000000000', secretAccessKey: 'stand-in-secret' },
      },
    );
  });
  afterAll(async () => {
    await h?.close();
    await aws?.close();
  });

  it('scales through the desired count', async () => {
    const { verdict } = await h.approved('/tas scale cloudtak 2');
    expect(verdict.title).toBe('Verified: scale cloudtak: done and verified');
    expect(aws.calls.filter((c) => c.target.endsWith('.UpdateService')).at(-1)?.body).toEqual({
      cluster: CLUSTER,
      service: SERVICE,
      desiredCount: 2,
    });
    expect(
      aws.service(CLUSTER, SERVICE)?.tasks.filter((t) => t.lastStatus === 'RUNNING'),
    ).toHaveLength(2);
  });

  it('rolls back to the previous task definition revision', async () => {
    const { card, verdict } = await h.approved('/tas rollback cloudtak');
    expect(textOf(card)).toContain(
      'back to the previous task definition revision: image 9.2.0→9.1.0',
    );
    expect(textOf(card)).toMatch(
      /rolls back to exactly ghcr\.io\/dfpc-coe\/cloudtak:9\.1\.0, task definition \S+task-definition\/coe-etl-prod:1/,
    );
    expect(verdict.title).toBe('Verified: rollback cloudtak: done and verified');
    expect(aws.service(CLUSTER, SERVICE)?.taskDefinition).toMatch(
      /task-definition\/coe-etl-prod:1$/,
    );
  });

  it('deploys another image as a new revision of the same task definition', async () => {
    const { verdict } = await h.approved('/tas rollback cloudtak 9.3.0');
    expect(verdict.title).toBe('Verified: rollback cloudtak: done and verified');
    const registered = aws.calls
      .filter((c) => c.target.endsWith('.RegisterTaskDefinition'))
      .at(-1)?.body;
    expect(registered).toMatchObject({
      family: 'coe-etl-prod',
      containerDefinitions: [{ name: 'api', image: 'ghcr.io/dfpc-coe/cloudtak:9.3.0' }],
    });
    expect(aws.service(CLUSTER, SERVICE)?.taskDefinition).toMatch(
      /task-definition\/coe-etl-prod:3$/,
    );
    expect(rowValue(await h.say('alice', '/tas status'), 'cloudtak')).toBe(
      '2/2  9.3.0  deployment: primary rev 3 COMPLETED 2/2',
    );
    expect(aws.targets()).not.toContain('StopTask');
  });

  it('fails the restart, with ECS’s reason, when the new deployment’s tasks do not start', async () => {
    aws.failDeployments(SERVICE);
    const { verdict } = await h.approved('/tas restart cloudtak');
    expect(verdict.title).toBe('Failed: restart cloudtak: verification failed');
    expect(textOf(verdict)).toContain('ECS deployment circuit breaker: tasks failed to start.');
    expect(textOf(verdict)).toContain('CannotPullContainerError');
    expect(aws.targets()).not.toContain('StopTask');
  });
});

describe('CloudTAK whose revision before the current one was deleted (stand-in)', () => {
  let aws: AwsStandIn;
  let h: PlatformHarness;
  let ecs: ECSClient;

  beforeAll(async () => {
    aws = await startAwsStandIn();
    aws.createLogGroup(GROUP);
    const register = (tag: string) =>
      aws.registerTaskDefinition({
        family: 'coe-etl-prod',
        containerDefinitions: [
          {
            name: 'api',
            image: `ghcr.io/dfpc-coe/cloudtak:${tag}`,
            essential: true,
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP } },
          },
        ],
      });
    register('9.0.0');
    aws.deleteTaskDefinition(register('9.1.0'));
    aws.createService({
      cluster: CLUSTER,
      serviceName: SERVICE,
      taskDefinition: register('9.2.0'),
      desiredCount: 1,
    });
    const credentials = { accessKeyId: 'AKIDSTANDIN000000000', secretAccessKey: 'stand-in-secret' };
    ecs = new ECSClient({ endpoint: aws.url, region: aws.region, credentials });
    h = await startPlatformHarness(
      `    platform: ecs
    stack: cloudtak
    ecs: { cluster: ${CLUSTER}, region: ${aws.region}, endpoint: "${aws.url}", logsEndpoint: "${aws.url}", services: { cloudtak: ${SERVICE} } }
    services: [cloudtak]`,
      { awsCredentials: credentials },
    );
  });
  afterAll(async () => {
    ecs?.destroy();
    await h?.close();
    await aws?.close();
  });

  it('makes no AWS call that answers an error, and offers the revision still there as rollback', async () => {
    const from = aws.calls.length;
    const reply = await h.say('alice', '/tas status');
    expect(reply.title).toBe('sys: OK');
    expect(rowValue(reply, 'cloudtak')).toBe('1/1  9.2.0  deployment: primary rev 3 COMPLETED 1/1');
    expect(aws.failedCalls(from)).toEqual([]);
    expect(aws.targets().slice(from)).not.toContain('StopTask');

    const card = await h.say('alice', '/tas rollback cloudtak');
    expect(textOf(card)).toContain(
      'back to the previous task definition revision: image 9.2.0→9.0.0',
    );
    expect(aws.failedCalls(from)).toEqual([]);
  });

  it('shows a deployment in progress with the one it replaces', async () => {
    await ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, forceNewDeployment: true }),
    );
    const reply = await h.say('alice', '/tas status');
    expect(reply.title).toBe('sys: DEGRADED');
    expect(rowValue(reply, 'cloudtak')).toBe(
      '1/1  9.2.0  updating (rolling out rev 3 IN_PROGRESS 0/1 (rev 3 1/1 draining))',
    );
  });
});
