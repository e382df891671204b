import { createHash } from 'node:crypto';
import type {
  ContainerDefinition,
  Deployment,
  Service,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { ServiceState } from '../../core/ports/container-platform.js';
import { splitImage } from '../docker/split-image.js';
import { newestFirst } from '../docker/to-task-summary.js';
import { toEcsTask } from './to-ecs-task.js';

/** The container a service is about: the first essential one (ECS's default is essential). */
export function essentialContainer(
  definition: TaskDefinition | undefined,
): ContainerDefinition | undefined {
  const containers = definition?.containerDefinitions ?? [];
  return containers.find((c) => c.essential !== false) ?? containers[0];
}

export interface EcsServiceInput {
  readonly service: Service;
  readonly name: string;
  readonly definition: TaskDefinition | undefined;
  readonly previous: TaskDefinition | undefined;
  readonly tasks: readonly Task[];
}

/**
 * One ECS service → the port's state. `desired`/`running` are the service's counts; a rollout
 * in progress (the PRIMARY deployment not COMPLETED, or older deployments still running tasks)
 * is `updating`, a FAILED one `paused` with ECS's reason, so convergence waits for COMPLETED.
 * `forceUpdate` is the PRIMARY deployment's creation time in ms: a force new deployment makes a
 * new PRIMARY, which is how a restart is seen to have happened.
 */
export function toEcsServiceState(input: EcsServiceInput): ServiceState {
  const { service, definition } = input;
  const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
  const container = essentialContainer(definition);
  const tasks = input.tasks.map((task) => toEcsTask(task, container?.name)).sort(newestFirst);
  const update = rolloutOf(service, primary);
  const previousImage = essentialContainer(input.previous)?.image;
  return {
    id: service.serviceArn ?? '',
    name: input.name,
    fullName: service.serviceName ?? input.name,
    ...splitImage(container?.image ?? ''),
    desired: service.desiredCount ?? 0,
    running: service.runningCount ?? 0,
    mode: service.schedulingStrategy === 'DAEMON' ? 'global' : 'replicated',
    ...(update !== undefined && { update }),
    tasks,
    tty: false,
    version: Math.floor((primary?.updatedAt?.getTime() ?? 0) / 1000),
    fingerprint: createHash('sha256')
      .update(
        JSON.stringify([
          service.taskDefinition ?? '',
          service.desiredCount ?? 0,
          service.deploymentConfiguration ?? {},
        ]),
      )
      .digest('hex')
      .slice(0, 16),
    forceUpdate: primary?.createdAt?.getTime() ?? 0,
    ...(previousImage !== undefined && { previous: splitImage(previousImage) }),
  };
}

function rolloutOf(service: Service, primary: Deployment | undefined): ServiceState['update'] {
  if (primary === undefined) return undefined;
  const others = (service.deployments ?? []).filter(
    (d) => d !== primary && (d.runningCount ?? 0) + (d.pendingCount ?? 0) > 0,
  );
  const counts = `${primary.runningCount ?? 0}/${primary.desiredCount ?? 0} running, ${primary.pendingCount ?? 0} pending`;
  const event = service.events?.[0]?.message;
  if (primary.rolloutState === 'FAILED') {
    return {
      state: 'paused',
      message: `deployment ${primary.id ?? ''} failed: ${primary.rolloutStateReason ?? event ?? 'no reason given'}`,
    };
  }
  const inProgress =
    primary.rolloutState === 'IN_PROGRESS' ||
    (primary.rolloutState === undefined && others.length > 0);
  if (inProgress || others.length > 0) {
    return {
      state: 'updating',
      message: `deployment ${primary.id ?? ''} ${counts}${others.length > 0 ? `, ${others.length} older deployment(s) draining` : ''}`,
    };
  }
  return {
    state: 'completed',
    message: `deployment ${primary.id ?? ''} completed${event === undefined ? '' : `; latest event: ${event}`}`,
  };
}
