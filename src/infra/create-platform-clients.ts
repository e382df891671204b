import type { EnvironmentConfig } from '../config/schema.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { ServiceOperator } from '../core/ports/service-operator.js';
import { createComposeOperator } from './compose/compose-operator.js';
import { createComposePlatform } from './compose/compose-platform.js';
import { createDockerClient } from './docker/create-docker-client.js';
import { createSwarmOperator } from './docker/swarm-operator.js';
import { createSwarmPlatform } from './docker/swarm-platform.js';
import type { EcsOptions } from './ecs/ecs-context.js';

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
      // The AWS SDK is loaded on first use: processes without an ECS environment never load it.
      let loading: Promise<PlatformClients> | undefined;
      const clients = () =>
        (loading ??= import('./ecs/create-ecs-clients.js').then((m) =>
          m.createEcsClients(env, defaults),
        ));
      return {
        platform: {
          listServices: async () => (await clients()).platform.listServices(),
          streamLogs: async (service, options) =>
            (await clients()).platform.streamLogs(service, options),
        },
        operator: {
          inspect: async (name) => (await clients()).operator.inspect(name),
          apply: async (name, change) => (await clients()).operator.apply(name, change),
        },
      };
    }
  }
}
