import type { EnvironmentConfig } from '../../config/schema.js';
import type { ContainerPlatform } from '../../core/ports/container-platform.js';
import type { ServiceOperator } from '../../core/ports/service-operator.js';
import type { DefinitionCache } from './describe-ecs-services.js';
import { createEcsContext, type EcsOptions } from './ecs-context.js';
import { createEcsOperator } from './ecs-operator.js';
import { createEcsPlatform } from './ecs-platform.js';

/** The platform and operator of an ECS environment; they share the SDK clients and a cache. */
export function createEcsClients(
  env: EnvironmentConfig,
  defaults: { awsCredentials?: EcsOptions['credentials']; awsRegion?: string },
): { platform: ContainerPlatform; operator: ServiceOperator } {
  if (env.ecs === undefined)
    throw new Error(`environment ${env.stack}: platform ecs needs an ecs block`);
  const region = env.ecs.region ?? defaults.awsRegion;
  const context = createEcsContext(
    {
      cluster: env.ecs.cluster,
      services: env.ecs.services,
      timeoutMs: env.ecs.timeout,
      ...(region !== undefined && { region }),
      ...(env.ecs.endpoint !== undefined && { endpoint: env.ecs.endpoint }),
      ...(env.ecs.logsEndpoint !== undefined && { logsEndpoint: env.ecs.logsEndpoint }),
      ...(env.ecs.logGroup !== undefined && { logGroup: env.ecs.logGroup }),
      ...(defaults.awsCredentials !== undefined && { credentials: defaults.awsCredentials }),
    },
    env.services,
  );
  const cache: DefinitionCache = new Map();
  return {
    platform: createEcsPlatform(context, cache),
    operator: createEcsOperator(context, cache),
  };
}
