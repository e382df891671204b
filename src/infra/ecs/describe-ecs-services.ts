import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTaskDefinitionsCommand,
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
 * The named services of the cluster with their task definitions (current and the ACTIVE
 * revision before, the rollback target) and their tasks: running ones and those stopped recently (ECS
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
        previousDefinition(context, arn, cache),
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

/** `…:task-definition/cloudtak:7` → family `cloudtak`, revision 7. */
export function parseRevision(arn: string): { family: string; revision: number } | undefined {
  const match = /([^/:]+):(\d+)$/.exec(arn);
  if (match === null) return undefined;
  return { family: match[1] ?? '', revision: Number(match[2]) };
}

// Pages of ListTaskDefinitions read at most, newest first: the revision before is on the first.
const MAX_PAGES = 5;

/**
 * The rollback target: the newest ACTIVE revision of the same family older than `arn`. Listed,
 * not guessed as `revision - 1`: that one may have been deleted or deregistered (ECS then
 * answers DescribeTaskDefinition with a ClientException on every status), and an INACTIVE
 * revision cannot be deployed anyway. Once found for a revision, it is remembered.
 */
export function previousDefinition(
  context: EcsContext,
  arn: string,
  cache: DefinitionCache,
): Promise<TaskDefinition | undefined> {
  const current = parseRevision(arn);
  if (current === undefined || current.revision < 2) return Promise.resolve(undefined);
  const key = `before ${arn}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const loading = (async () => {
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const listed = await callAws('ECS', 'ListTaskDefinitions', context.where, () =>
        context.ecs.send(
          new ListTaskDefinitionsCommand({
            familyPrefix: current.family,
            status: 'ACTIVE',
            sort: 'DESC',
            ...(nextToken !== undefined && { nextToken }),
          }),
        ),
      );
      const before = (listed.taskDefinitionArns ?? []).find((candidate) => {
        const parsed = parseRevision(candidate);
        return parsed?.family === current.family && parsed.revision < current.revision;
      });
      if (before !== undefined) return taskDefinition(context, before, cache);
      nextToken = listed.nextToken;
      if (nextToken === undefined) return undefined;
    }
    return undefined;
  })();
  cache.set(key, loading);
  loading.catch(() => cache.delete(key));
  return loading;
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
