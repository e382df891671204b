import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type DesiredStatus,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { ServiceState } from '../../core/ports/container-platform.js';
import type { EcsContext } from './ecs-context.js';
import { toEcsServiceState } from './to-ecs-service-state.js';
import { callAws } from './to-aws-error.js';

/** Task definitions never change once registered, so each is described once per process. */
export type DefinitionCache = Map<string, Promise<TaskDefinition | undefined>>;

/**
 * The named services of the cluster with their task definitions (current and the revision
 * before, the rollback target) and their tasks: running ones and those stopped recently (ECS
 * keeps stopped tasks for about an hour), which show crashes and restarts.
 */
export async function describeEcsServices(
  context: EcsContext,
  names: readonly string[],
  cache: DefinitionCache,
): Promise<ServiceState[]> {
  const services: Service[] = [];
  for (let i = 0; i < names.length; i += 10) {
    const batch = names.slice(i, i + 10).map((name) => context.ecsName(name));
    const described = await callAws('ECS', 'DescribeServices', context.where, () =>
      context.ecs.send(new DescribeServicesCommand({ cluster: context.cluster, services: batch })),
    );
    services.push(...(described.services ?? []).filter((s) => s.status !== 'INACTIVE'));
  }
  return Promise.all(
    services.map(async (service) => {
      const arn = service.taskDefinition ?? '';
      const [definition, previous, tasks] = await Promise.all([
        taskDefinition(context, arn, cache),
        taskDefinition(context, previousRevision(arn), cache),
        serviceTasks(context, service.serviceName ?? ''),
      ]);
      return toEcsServiceState({
        service,
        name: context.chatName(service.serviceName ?? ''),
        definition,
        previous,
        tasks,
      });
    }),
  );
}

/** `…:task-definition/cloudtak:7` → `…:task-definition/cloudtak:6`; empty before revision 2. */
export function previousRevision(arn: string): string {
  const match = /^(.*):(\d+)$/.exec(arn);
  if (match === null) return '';
  const revision = Number(match[2]);
  return revision > 1 ? `${match[1] ?? ''}:${revision - 1}` : '';
}

export function taskDefinition(
  context: EcsContext,
  arn: string,
  cache: DefinitionCache,
): Promise<TaskDefinition | undefined> {
  if (arn === '') return Promise.resolve(undefined);
  const cached = cache.get(arn);
  if (cached !== undefined) return cached;
  const loading = context.ecs
    .send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))
    .then((result) => result.taskDefinition)
    .catch((error: unknown) => {
      // A deleted previous revision only means there is nothing to roll back to.
      if ((error as { name?: string }).name === 'ClientException') return undefined;
      cache.delete(arn);
      throw error;
    });
  cache.set(arn, loading);
  return callAws('ECS', 'DescribeTaskDefinition', context.where, () => loading);
}

async function serviceTasks(context: EcsContext, serviceName: string): Promise<Task[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as DesiredStatus[]) {
    const listed = await callAws('ECS', 'ListTasks', context.where, () =>
      context.ecs.send(
        new ListTasksCommand({
          cluster: context.cluster,
          serviceName,
          desiredStatus,
          maxResults: 100,
        }),
      ),
    );
    arns.push(...(listed.taskArns ?? []));
  }
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const described = await callAws('ECS', 'DescribeTasks', context.where, () =>
      context.ecs.send(
        new DescribeTasksCommand({ cluster: context.cluster, tasks: arns.slice(i, i + 100) }),
      ),
    );
    tasks.push(...(described.tasks ?? []));
  }
  return tasks;
}
