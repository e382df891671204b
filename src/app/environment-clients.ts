import type { Config } from '../config/schema.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { ServiceOperator } from '../core/ports/service-operator.js';
import { createPlatformClients, type PlatformClients } from '../infra/create-platform-clients.js';

export interface EnvironmentClients {
  readonly platformFor: (environment: string) => ContainerPlatform;
  readonly operatorFor: (environment: string) => ServiceOperator;
}

/**
 * Each environment's platform and operator (Swarm, Compose or ECS by its `platform`), built on
 * first use and kept: one Docker or AWS client per environment for the life of the process.
 * Tests and benchmarks pass their own (a counting platform, a prober with a custom dispatcher).
 */
export function environmentClients(
  config: Config,
  overrides: Partial<EnvironmentClients> = {},
): EnvironmentClients {
  const built = new Map<string, PlatformClients>();
  const clientsOf = (name: string): PlatformClients => {
    const existing = built.get(name);
    if (existing !== undefined) return existing;
    const env = config.environments[name];
    if (env === undefined) throw new Error(`no environment ${name}`);
    const made = createPlatformClients(env);
    built.set(name, made);
    return made;
  };
  return {
    platformFor: overrides.platformFor ?? ((name) => clientsOf(name).platform),
    operatorFor: overrides.operatorFor ?? ((name) => clientsOf(name).operator),
  };
}
