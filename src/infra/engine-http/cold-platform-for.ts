import type Docker from 'dockerode';
import type { Config, EnvironmentConfig } from '../../config/schema.js';
import type { ContainerPlatform } from '../../core/ports/container-platform.js';
import type { PlatformClients } from '../create-platform-clients.js';
import { createSwarmPlatform } from '../docker/swarm-platform.js';
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
 * client, which the reader answers as dockerode does. Its log stream needs docker-modem and is
 * never called on this one (coldPlatformFor sends logs to the full clients). The reader, with
 * `node:http`, loads on the first listing: this module is in the startup snapshot of `check`.
 */
function readerListing(env: EnvironmentConfig): ContainerPlatform {
  let loading: Promise<EngineReader> | undefined;
  const reader = () =>
    (loading ??= import('./create-engine-reader.js').then((m) =>
      m.createEngineReader(env.docker.host),
    ));
  const client: EngineReader = {
    listServices: async (options) => (await reader()).listServices(options),
    listTasks: async (options) => (await reader()).listTasks(options),
  };
  return createSwarmPlatform({
    docker: client as unknown as Docker,
    stack: env.stack,
    host: env.docker.host,
    timeoutMs: env.docker.timeout,
  });
}
