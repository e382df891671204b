import {
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { ServiceOperator } from '../../core/ports/service-operator.js';
import {
  describeEcsServices,
  previousDefinition,
  taskDefinition,
  type DefinitionCache,
} from './describe-ecs-services.js';
import type { EcsContext } from './ecs-context.js';
import { essentialContainer } from './to-ecs-service-state.js';
import { callAws } from './to-aws-error.js';

/**
 * Privileged changes to an ECS service, all through UpdateService, so ECS itself rolls them
 * out (new tasks up and healthy before the old ones stop): restart = force new deployment,
 * scale = desiredCount, rollback = the previous task definition revision, image = a new
 * revision with the essential container's image replaced. Never StopTask: stopping the task
 * takes the service down until ECS notices (the CloudTAK runbook's warning).
 */
export function createEcsOperator(
  context: EcsContext,
  cache: DefinitionCache = new Map(),
): ServiceOperator {
  async function current(name: string) {
    return (await describeEcsServices(context, [name], cache))[0];
  }

  async function update(
    name: string,
    change: Omit<ConstructorParameters<typeof UpdateServiceCommand>[0], 'cluster' | 'service'>,
  ) {
    await callAws('ECS', 'UpdateService', context.where, () =>
      context.ecs.send(
        new UpdateServiceCommand({
          cluster: context.cluster,
          service: context.ecsName(name),
          ...change,
        }),
      ),
    );
  }

  return {
    inspect: current,
    async apply(name, change) {
      const before = await current(name);
      if (before === undefined)
        throw new Error(`${context.ecsName(name)} does not exist in ${context.where}`);
      const arn = await serviceDefinitionArn(context, name);
      switch (change.kind) {
        case 'restart':
          await update(name, { forceNewDeployment: true });
          break;
        case 'scale':
          await update(name, { desiredCount: change.replicas });
          break;
        case 'rollback': {
          const previous = (await previousDefinition(context, arn, cache))?.taskDefinitionArn;
          if (previous === undefined) {
            throw new Error(`${name} has no previous task definition revision to roll back to`);
          }
          await update(name, { taskDefinition: previous });
          break;
        }
        case 'image': {
          const definition = await taskDefinition(context, arn, cache);
          if (definition === undefined) throw new Error(`task definition ${arn} could not be read`);
          const registered = await callAws('ECS', 'RegisterTaskDefinition', context.where, () =>
            context.ecs.send(
              new RegisterTaskDefinitionCommand(withImage(definition, change.image)),
            ),
          );
          await update(name, {
            taskDefinition: registered.taskDefinition?.taskDefinitionArn ?? '',
          });
          break;
        }
      }
      return { fromVersion: before.version, warnings: [] };
    },
  };
}

async function serviceDefinitionArn(context: EcsContext, name: string): Promise<string> {
  const described = await callAws('ECS', 'DescribeServices', context.where, () =>
    context.ecs.send(
      new DescribeServicesCommand({ cluster: context.cluster, services: [context.ecsName(name)] }),
    ),
  );
  return described.services?.[0]?.taskDefinition ?? '';
}

/** The registrable part of a task definition, with the essential container on another image. */
function withImage(definition: TaskDefinition, image: string): RegisterTaskDefinitionCommandInput {
  const essential = essentialContainer(definition);
  const { family = '', containerDefinitions = [] } = definition;
  return {
    family,
    containerDefinitions: containerDefinitions.map((c) => (c === essential ? { ...c, image } : c)),
    ...pick(definition, [
      'taskRoleArn',
      'executionRoleArn',
      'networkMode',
      'volumes',
      'placementConstraints',
      'requiresCompatibilities',
      'cpu',
      'memory',
      'pidMode',
      'ipcMode',
      'proxyConfiguration',
      'inferenceAccelerators',
      'ephemeralStorage',
      'runtimePlatform',
    ]),
  };
}

function pick<T extends object, K extends keyof T>(
  value: T,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) picked[key] = value[key];
  return picked;
}
