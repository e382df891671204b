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
    ...(service.taskDefinition !== undefined && { taskDefinition: service.taskDefinition }),
    ...(previousImage !== undefined && {
      previous: {
        ...splitImage(previousImage),
        ...(input.previous?.taskDefinitionArn !== undefined && {
          taskDefinition: input.previous.taskDefinitionArn,
        }),
      },
    }),
  };
}

/**
 * The deployments as the runbook asks "is the new deployment done?": the PRIMARY one with its
 * task definition revision, rollout state and running/desired, and any older one still running
 * tasks (`primary rev 12 COMPLETED 1/1`, `rolling out rev 13 IN_PROGRESS 0/1 (rev 12 1/1
 * draining)`). A FAILED rollout keeps ECS's reason, which verification reports.
 */
function rolloutOf(service: Service, primary: Deployment | undefined): ServiceState['update'] {
  if (primary === undefined) return undefined;
  const others = (service.deployments ?? []).filter(
    (d) => d !== primary && (d.runningCount ?? 0) + (d.pendingCount ?? 0) > 0,
  );
  const older = (verb: string) =>
    others.length === 0
      ? ''
      : ` (${others.map((d) => `${describe(d, false)} ${verb}`).join(', ')})`;
  if (primary.rolloutState === 'FAILED') {
    const reason = primary.rolloutStateReason ?? service.events?.[0]?.message ?? 'no reason given';
    return { state: 'paused', message: `${describe(primary)}: ${reason}${older('running')}` };
  }
  const inProgress =
    primary.rolloutState === 'IN_PROGRESS' ||
    (primary.rolloutState === undefined && others.length > 0);
  if (inProgress || others.length > 0)
    return { state: 'updating', message: `rolling out ${describe(primary)}${older('draining')}` };
  return { state: 'completed', message: `primary ${describe(primary)}` };
}

/**
 * `rev 13 IN_PROGRESS 0/1`: the revision, the rollout state and running/desired; an older
 * deployment's rollout state is the one it once had, so it is left out.
 */
function describe(deployment: Deployment, withState = true): string {
  const revision = /:(\d+)$/.exec(deployment.taskDefinition ?? '')?.[1];
  return [
    revision === undefined ? deployment.taskDefinition : `rev ${revision}`,
    withState ? (deployment.rolloutState ?? deployment.status) : undefined,
    `${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0}`,
  ]
    .filter(Boolean)
    .join(' ');
}
