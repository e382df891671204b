import type Docker from 'dockerode';
import type { Config, EnvironmentConfig } from '../../config/schema.js';
import type { ContainerPlatform } from '../../core/ports/container-platform.js';
import type { PlatformClients } from '../create-platform-clients.js';
import { listStackServices } from '../docker/list-stack-services.js';
import { createSwarmPlatform } from '../docker/swarm-platform.js';
import { statusCode } from '../docker/to-docker-error.js';
import type { EngineReader } from './create-engine-reader.js';

/**
 * Each environment's platform for a command that runs once (`check`, `run`): a Swarm stack is
 * listed through the plain-HTTP reader; its logs, and Compose and ECS environments, go through
 * the full clients (dockerode, the AWS SDK), loaded on first use. So a cold status or `check` of
 * a Swarm stack never loads dockerode; `logs` does, as the long-running bot always does.
 */
export function coldPlatformFor(config: Config): (environment: string) => ContainerPlatform {
  const full = new Map<string, Promise<PlatformClients>>();
  const fullOf = (name: string): Promise<PlatformClients> => {
    const existing = full.get(name);
    if (existing !== undefined) return existing;
    const env = environmentOf(config, name);
    const made = import('../create-platform-clients.js').then((m) => m.createPlatformClients(env));
    full.set(name, made);
    return made;
  };
  const platforms = new Map<string, ContainerPlatform>();
  return (name) => {
    const existing = platforms.get(name);
    if (existing !== undefined) return existing;
    const env = environmentOf(config, name);
    const listing = env.platform === 'swarm' ? readerListing(env) : undefined;
    const made: ContainerPlatform = {
      listServices: async () =>
        listing === undefined
          ? (await fullOf(name)).platform.listServices()
          : listing.listServices(),
      streamLogs: async (service, options) =>
        (await fullOf(name)).platform.streamLogs(service, options),
    };
    platforms.set(name, made);
    return made;
  };
}

function environmentOf(config: Config, name: string): EnvironmentConfig {
  const env = config.environments[name];
  if (env === undefined) throw new Error(`no environment ${name}`);
  return env;
}

/**
 * The Swarm platform on the reader: its listing calls only `listServices` and `listTasks` on its
 * client, which the reader answers as dockerode does (its log stream needs docker-modem: logs go
 * to the full clients). The reader, with `node:http`, loads on the first listing: this module is
 * in the startup snapshot of `check`.
 */
function readerListing(env: EnvironmentConfig): Pick<ContainerPlatform, 'listServices'> {
  let loading: Promise<EngineReader> | undefined;
  const reader = () =>
    (loading ??= import('./create-engine-reader.js').then((m) =>
      m.createEngineReader(env.docker.host),
    ));
  const client: EngineReader = {
    listServices: async (options) => (await reader()).listServices(options),
    listTasks: async (options) => (await reader()).listTasks(options),
  };
  const docker = client as unknown as Docker;
  const { stack } = env;
  const call = { host: env.docker.host, timeoutMs: env.docker.timeout };
  const platform = createSwarmPlatform({ docker, stack, ...call });
  return {
    // A process that lists once never learns from a previous listing that the stack's services
    // carry `docker stack deploy`'s namespace label: it assumes they do, so the services and
    // their tasks (by that label) are asked for at once, one round trip instead of two in a row.
    // Services without the label still get their tasks by id. A service removed in between
    // (404) gets the platform's own listing, which retries.
    listServices: () =>
      listStackServices(docker, stack, call, { allLabelled: true }).catch((error: unknown) => {
        if (statusCode(error) !== 404) throw error;
        return platform.listServices();
      }),
  };
}
