import type { EnvironmentConfig } from '../../src/config/schema.js';
import { parseConfig } from '../../src/config/load-config.js';

export type PlatformKind = 'swarm' | 'compose' | 'ecs';

/**
 * The environment `prod` with one service, `backend`, on `platform`, loaded through the real
 * config loader; `extra` is YAML added to the environment (indented four spaces, e.g. `images:`).
 */
export function oneEnvironment(platform: PlatformKind = 'swarm', extra = ''): EnvironmentConfig {
  const access =
    platform === 'ecs'
      ? '    ecs: { cluster: prod, region: us-east-1 }'
      : '    docker: { host: "unix:///var/run/docker.sock" }';
  const loaded = parseConfig(
    `
people:
  alice: { slack: U1 }
roles:
  oncall: [alice]
environments:
  prod:
    platform: ${platform}
    stack: prod
${access}
${extra}
    services: [backend]
    channels: { ops: { slack: C1 } }
    policy:
      read: [oncall]
`,
    {},
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const env = loaded.value.config.environments.prod;
  if (env === undefined) throw new Error('no environment prod');
  return env;
}
