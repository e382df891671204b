import type { EnvironmentConfig } from '../config/schema.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { ServiceOperator } from '../core/ports/service-operator.js';
import { createComposeOperator } from './compose/compose-operator.js';
import { createComposePlatform } from './compose/compose-platform.js';
import { createDockerClient } from './docker/create-docker-client.js';
import { createSwarmOperator } from './docker/swarm-operator.js';
import { createSwarmPlatform } from './docker/swarm-platform.js';
import type { DefinitionCache } from './ecs/describe-ecs-services.js';
import { createEcsContext, type EcsOptions } from './ecs/ecs-context.js';
import { createEcsOperator } from './ecs/ecs-operator.js';
import { createEcsPlatform } from './ecs/ecs-platform.js';

/** What the composition root may add to an environment's config when it builds its clients. */
export interface PlatformClientDefaults {
  /** AWS credentials for ECS environments; unset: the SDK's default chain (env, profile, role). */
  readonly awsCredentials?: EcsOptions['credentials'];
  /** The region of ECS environments whose config names none; unset: the SDK's own resolution. */
  readonly awsRegion?: string;
}

export interface PlatformClients {
  readonly platform: ContainerPlatform;
  readonly operator: ServiceOperator;
}

/**
 * The platform and operator of one environment, by `platform`: a Swarm stack or a Compose
 * project on the configured Docker Engine, or ECS services through the AWS SDK.
 */
export function createPlatformClients(
  env: EnvironmentConfig,
  defaults: PlatformClientDefaults = {},
): PlatformClients {
  switch (env.platform) {
    case 'swarm': {
      const host = env.docker.host;
      const docker = createDockerClient({ host, timeoutMs: env.docker.timeout });
      return {
        platform: createSwarmPlatform({ docker, stack: env.stack, host }),
        operator: createSwarmOperator({
          docker,
          stack: env.stack,
          host,
          timeoutMs: env.docker.timeout,
        }),
      };
    }
    case 'compose': {
      const host = env.docker.host;
      const docker = createDockerClient({ host, timeoutMs: env.docker.timeout });
      const options = {
        docker,
        project: env.stack,
        host,
        timeoutMs: env.docker.timeout,
        oneShot: env.compose?.oneShot ?? [],
      };
      return { platform: createComposePlatform(options), operator: createComposeOperator(options) };
    }
    case 'ecs': {
      // The schema insists on the block; this only guards a config built by hand.
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
  }
}
