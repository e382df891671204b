import {
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { ServiceState } from '../../core/ports/container-platform.js';
import type {
  AppliedChange,
  ServiceChange,
  ServiceOperator,
} from '../../core/ports/service-operator.js';
import { sameImage } from '../../lib/same-image.js';
import {
  describeEcsServices,
  previousDefinition,
  taskDefinition,
  type DefinitionCache,
} from './describe-ecs-services.js';
import type { EcsContext } from './ecs-context.js';
import { essentialContainer } from './to-ecs-service-state.js';
import { callAws } from './to-aws-error.js';

type UpdateInput = Omit<
  ConstructorParameters<typeof UpdateServiceCommand>[0],
  'cluster' | 'service'
>;

async function update(context: EcsContext, name: string, change: UpdateInput): Promise<void> {
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

/**
 * Whether the service already shows the change's marker, so sending it again would make a
 * second deployment: a PRIMARY deployment created at or after the restart's marker, the
 * desired count, the recorded task definition revision, or the image.
 */
function alreadyThere(state: ServiceState, arn: string, change: ServiceChange): boolean {
  switch (change.kind) {
    case 'restart':
      return change.forceUpdate !== undefined && (state.forceUpdate ?? 0) >= change.forceUpdate;
    case 'scale':
      return state.desired === change.replicas;
    case 'rollback':
      return change.target?.taskDefinition === arn;
    case 'image':
      return sameImage(state.image, change.image);
  }
}

/**
 * The revision a rollback goes to: the one recorded on the card, never the revision before
 * whatever runs now (after a first rollback that would be one more step back). Only a request
 * stored before targets existed falls back to the revision before the current one.
 */
async function rollbackArn(
  context: EcsContext,
  cache: DefinitionCache,
  name: string,
  arn: string,
  change: Extract<ServiceChange, { kind: 'rollback' }>,
): Promise<string> {
  const recorded = change.target?.taskDefinition;
  if (recorded !== undefined) return recorded;
  const previous = (await previousDefinition(context, arn, cache))?.taskDefinitionArn;
  if (previous === undefined)
    throw new Error(`${name} has no previous task definition revision to roll back to`);
  return previous;
}

async function applyChange(
  context: EcsContext,
  cache: DefinitionCache,
  name: string,
  change: ServiceChange,
): Promise<AppliedChange> {
  const before = (await describeEcsServices(context, [name], cache))[0];
  if (before === undefined)
    throw new Error(`${context.ecsName(name)} does not exist in ${context.where}`);
  const arn = await serviceDefinitionArn(context, name);
  const applied = { fromVersion: before.version, warnings: [] };
  if (alreadyThere(before, arn, change)) return applied;
  switch (change.kind) {
    case 'restart':
      await update(context, name, { forceNewDeployment: true });
      break;
    case 'scale':
      await update(context, name, { desiredCount: change.replicas });
      break;
    case 'rollback':
      await update(context, name, {
        taskDefinition: await rollbackArn(context, cache, name, arn, change),
      });
      break;
    case 'image': {
      const definition = await taskDefinition(context, arn, cache);
      if (definition === undefined) throw new Error(`task definition ${arn} could not be read`);
      const registered = await callAws('ECS', 'RegisterTaskDefinition', context.where, () =>
        context.ecs.send(new RegisterTaskDefinitionCommand(withImage(definition, change.image))),
      );
      await update(context, name, {
        taskDefinition: registered.taskDefinition?.taskDefinitionArn ?? '',
      });
      break;
    }
  }
  return applied;
}

/**
 * Privileged changes to an ECS service, all through UpdateService, so ECS itself rolls them
 * out (new tasks up and healthy before the old ones stop): restart = force new deployment,
 * scale = desiredCount, rollback = the task definition revision recorded on the card, image =
 * a new revision with the essential container's image replaced. Nothing is sent when the
 * service already shows the change. Never StopTask: stopping the task takes the service down
 * until ECS notices (the CloudTAK runbook's warning).
 */
export function createEcsOperator(
  context: EcsContext,
  cache: DefinitionCache = new Map(),
): ServiceOperator {
  return {
    inspect: async (name) => (await describeEcsServices(context, [name], cache))[0],
    apply: (name, change) => applyChange(context, cache, name, change),
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
