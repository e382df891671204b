import type { Deployment, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { parseRevision } from '../../../../src/infra/ecs/describe-ecs-services.js';
import { toEcsServiceState } from '../../../../src/infra/ecs/to-ecs-service-state.js';
import { toEcsTask } from '../../../../src/infra/ecs/to-ecs-task.js';

const t0 = new Date('2026-01-01T10:00:00Z');
const later = new Date('2026-01-01T10:05:00Z');

function task(overrides: Partial<Task> & { exitCode?: number }): Task {
  const { exitCode, ...rest } = overrides;
  return {
    taskArn: 'arn:aws:ecs:us-east-1:1:task/prod/0123456789abcdef',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    createdAt: t0,
    startedAt: t0,
    containers: [{ name: 'api', ...(exitCode !== undefined && { exitCode }) }],
    ...rest,
  };
}

function deployment(overrides: Partial<Deployment>): Deployment {
  return {
    id: 'ecs-svc/1',
    status: 'PRIMARY',
    taskDefinition: 'arn:td/cloudtak:7',
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    createdAt: t0,
    updatedAt: t0,
    rolloutState: 'COMPLETED',
    ...overrides,
  };
}

const definition = (image: string): TaskDefinition => ({
  containerDefinitions: [
    { name: 'sidecar', image: 'envoy:1', essential: false },
    { name: 'api', image },
  ],
});

function service(deployments: Deployment[], extra: Partial<Service> = {}): Service {
  return {
    serviceArn: 'arn:svc',
    serviceName: 'coe-etl-prod-Service',
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    taskDefinition: 'arn:td/cloudtak:7',
    deployments,
    events: [{ message: '(service x) has reached a steady state.' }],
    ...extra,
  };
}

describe('toEcsTask', () => {
  it('maps starting and running tasks', () => {
    expect(toEcsTask(task({ lastStatus: 'PROVISIONING' }), 'api')).toMatchObject({
      id: '0123456789abcdef',
      state: 'pending',
    });
    expect(toEcsTask(task({ lastStatus: 'ACTIVATING' }), 'api').state).toBe('starting');
    expect(toEcsTask(task({ healthStatus: 'HEALTHY' }), 'api')).toMatchObject({
      state: 'running',
      message: 'RUNNING (healthy)',
    });
  });

  it('counts a task the scheduler replaced as shut down, not failed', () => {
    const stopped = toEcsTask(
      task({
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/2)',
        stoppedAt: later,
        exitCode: 143,
      }),
      'api',
    );
    expect(stopped).toMatchObject({ state: 'shutdown', exitCode: 143, desiredState: 'stopped' });
    expect(stopped.timestamp).toEqual(later);
  });

  it('counts an essential container that exited non-zero as a failure, with ECS’s reason', () => {
    const failed = toEcsTask(
      task({
        lastStatus: 'STOPPED',
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        exitCode: 1,
      }),
      'api',
    );
    expect(failed).toMatchObject({
      state: 'failed',
      exitCode: 1,
      error: 'Essential container in task exited',
    });
  });

  it('rejects a task that never started', () => {
    expect(
      toEcsTask(
        task({
          lastStatus: 'STOPPED',
          stopCode: 'TaskFailedToStart',
          stoppedReason: 'CannotPullContainerError: pull access denied',
        }),
        'api',
      ),
    ).toMatchObject({ state: 'rejected', error: 'CannotPullContainerError: pull access denied' });
  });
});

describe('toEcsServiceState', () => {
  it('takes the image of the essential container and the counts of the service', () => {
    const state = toEcsServiceState({
      service: service([deployment({})]),
      name: 'cloudtak',
      definition: definition('ghcr.io/dfpc-coe/cloudtak:9.2.0'),
      previous: definition('ghcr.io/dfpc-coe/cloudtak:9.1.0'),
      tasks: [task({})],
    });
    expect(state).toMatchObject({
      name: 'cloudtak',
      fullName: 'coe-etl-prod-Service',
      image: 'ghcr.io/dfpc-coe/cloudtak:9.2.0',
      imageTag: '9.2.0',
      desired: 1,
      running: 1,
      mode: 'replicated',
    });
    expect(state.previous).toEqual({
      image: 'ghcr.io/dfpc-coe/cloudtak:9.1.0',
      imageTag: '9.1.0',
    });
    expect(state.update).toEqual({ state: 'completed', message: 'primary rev 7 COMPLETED 1/1' });
    expect(state.forceUpdate).toBe(t0.getTime());
  });

  it('is updating while the PRIMARY deployment rolls out or older ones still run tasks', () => {
    const rolling = service([
      deployment({
        id: 'ecs-svc/2',
        taskDefinition: 'arn:td/cloudtak:8',
        rolloutState: 'IN_PROGRESS',
        runningCount: 0,
        pendingCount: 1,
        createdAt: later,
      }),
      deployment({ status: 'ACTIVE', taskDefinition: 'arn:td/cloudtak:7' }),
    ]);
    const state = toEcsServiceState({
      service: rolling,
      name: 'cloudtak',
      definition: definition('x:1'),
      previous: undefined,
      tasks: [],
    });
    expect(state.update).toEqual({
      state: 'updating',
      message: 'rolling out rev 8 IN_PROGRESS 0/1 (rev 7 1/1 draining)',
    });
    expect(state.forceUpdate).toBe(later.getTime());
  });

  it('reports a failed rollout as paused with ECS’s reason, so verification stops waiting', () => {
    const failed = service([
      deployment({
        taskDefinition: 'arn:td/cloudtak:8',
        rolloutState: 'FAILED',
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
        runningCount: 0,
      }),
      deployment({ status: 'ACTIVE', taskDefinition: 'arn:td/cloudtak:7' }),
    ]);
    expect(
      toEcsServiceState({
        service: failed,
        name: 'c',
        definition: undefined,
        previous: undefined,
        tasks: [],
      }).update,
    ).toEqual({
      state: 'paused',
      message:
        'rev 8 FAILED 0/1: ECS deployment circuit breaker: tasks failed to start. (rev 7 1/1 running)',
    });
  });

  it('maps a daemon service to global', () => {
    expect(
      toEcsServiceState({
        service: service([], { schedulingStrategy: 'DAEMON' }),
        name: 'c',
        definition: undefined,
        previous: undefined,
        tasks: [],
      }).mode,
    ).toBe('global');
  });
});

describe('parseRevision', () => {
  it('reads the family and revision of a task definition ARN, nothing from anything else', () => {
    expect(parseRevision('arn:aws:ecs:us-east-1:1:task-definition/cloudtak:7')).toEqual({
      family: 'cloudtak',
      revision: 7,
    });
    expect(parseRevision('coe-etl-prod:12')).toEqual({ family: 'coe-etl-prod', revision: 12 });
    expect(parseRevision('')).toBeUndefined();
  });
});
