import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { UserError } from '../../core/errors.js';
import type { ContainerPlatform } from '../../core/ports/container-platform.js';
import { describeEcsServices, type DefinitionCache } from './describe-ecs-services.js';
import type { EcsContext } from './ecs-context.js';
import { cloudWatchSource, logTarget } from './ecs-logs.js';
import { callAws } from './to-aws-error.js';

/**
 * The ContainerPlatform on AWS ECS: the environment's services (DescribeServices, their task
 * definitions, ListTasks + DescribeTasks) and their CloudWatch logs (the awslogs group of the
 * task definition). Only the configured services are looked at: a cluster may hold others.
 */
export function createEcsPlatform(
  context: EcsContext,
  cache: DefinitionCache = new Map(),
): ContainerPlatform {
  return {
    listServices() {
      return describeEcsServices(context, context.chatNames, cache);
    },
    async streamLogs(service, options) {
      const described = await callAws('ECS', 'DescribeServices', context.where, () =>
        context.ecs.send(
          new DescribeServicesCommand({ cluster: context.cluster, services: [service.fullName] }),
        ),
      );
      const arn = described.services?.[0]?.taskDefinition;
      if (arn === undefined)
        throw new UserError(
          'UNKNOWN_SERVICE',
          `${service.fullName} no longer exists in ${context.where}.`,
        );
      return cloudWatchSource(context, await logTarget(context, service, arn, cache), options);
    },
  };
}
