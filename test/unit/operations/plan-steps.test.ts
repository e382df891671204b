import { describe, expect, it } from 'vitest';
import { oneEnvironment } from '../../fakes/one-environment.js';
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

const restartOn = (platform: 'swarm' | 'compose' | 'ecs') =>
  planSteps({
    operation: 'restart',
    environment: 'prod',
    env: oneEnvironment(platform),
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
