import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load-config.js';
import type { ServiceState } from '../../../src/core/ports/container-platform.js';
import { planSteps } from '../../../src/operations/plan-steps.js';

const backend: ServiceState = {
  id: 'svc1',
  name: 'backend',
  fullName: 'prod_backend',
  image: 'registry/tas/backend:5.15.2',
  imageTag: '5.15.2',
  desired: 2,
  running: 2,
  mode: 'replicated',
  tasks: [],
  tty: false,
  version: 12,
};

function envOn(platform: 'swarm' | 'compose' | 'ecs') {
  const block =
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
${block}
    services: [backend]
    channels: { ops: { slack: C1 } }
    policy:
      read: [oncall]
`,
    {},
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const env = loaded.value.config.environments.prod;
  if (env === undefined) throw new Error('no environment');
  return env;
}

const restartOn = (platform: 'swarm' | 'compose' | 'ecs') =>
  planSteps({
    operation: 'restart',
    environment: 'prod',
    env: envOn(platform),
    services: [backend],
    target: 'backend',
    saved: new Map(),
  })[0]?.describe;

describe('planSteps for a restart', () => {
  it('tells Swarm approvers it is a force update with the same spec', () => {
    expect(restartOn('swarm')).toBe('force update: new tasks, same spec (2/2 running)');
  });

  it('tells Compose approvers the containers restart with the same configuration', () => {
    expect(restartOn('compose')).toBe('container restart, same configuration (2/2 running)');
  });

  it('tells ECS approvers it is a new deployment of the same task definition', () => {
    expect(restartOn('ecs')).toBe(
      'force new deployment: new tasks, same task definition (2/2 running)',
    );
  });
});
