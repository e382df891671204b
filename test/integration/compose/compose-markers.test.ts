import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceOperator } from '../../../src/core/ports/service-operator.js';
import { createComposeOperator } from '../../../src/infra/compose/compose-operator.js';
import { composeProject } from '../../../src/infra/compose/compose-platform.js';
import type { EngineContainer } from '../../../src/infra/compose/engine-container.js';
import { recreateContainer } from '../../../src/infra/compose/recreate-container.js';
import { createDockerClient } from '../../../src/infra/docker/create-docker-client.js';
import { restartMarker } from '../../../src/operations/step-progress.js';
import { connectTestSwarm, testDockerHost, testImage } from '../docker/test-swarm.js';
import { composeFixture, uniqueProject, type ComposeFixture } from './compose-fixture.js';

/**
 * What a worker killed half-way through a Compose change sends again: the containers it already
 * restarted or recreated are left alone, the rest get the change once.
 */
describe('the Compose operator resuming a change a crashed worker began', () => {
  let docker: Docker;
  let fixture: ComposeFixture;
  let operator: ServiceOperator;
  const startedAt = async (id: string) =>
    ((await docker.getContainer(id).inspect()) as { State: { StartedAt: string } }).State.StartedAt;

  beforeAll(async () => {
    docker = await connectTestSwarm();
    fixture = composeFixture(docker, uniqueProject());
    for (const number of [1, 2])
      await fixture.create({ service: 'worker', script: 'tripl-celery.sh', number });
    operator = createComposeOperator({
      docker: createDockerClient({ host: testDockerHost(), timeoutMs: 10_000 }),
      project: fixture.project,
    });
  });
  afterAll(async () => {
    await fixture?.removeAll();
  });

  it('restarts only the replica the first worker had not restarted yet', async () => {
    const state = await operator.inspect('worker');
    if (state === undefined) throw new Error('no worker service');
    const change = { kind: 'restart' as const, forceUpdate: restartMarker('compose', state) };
    const [first, second] = (await fixture.containers('worker')).map((c) => c.Id);
    if (first === undefined || second === undefined) throw new Error('two replicas expected');
    // The first worker restarted one replica, then died.
    await docker.getContainer(first).restart({ t: 1 });
    const firstRun = await startedAt(first);
    const secondRun = await startedAt(second);
    await operator.apply('worker', change);
    expect(await startedAt(first)).toBe(firstRun);
    expect(await startedAt(second)).not.toBe(secondRun);
    // Sent once more, it restarts nothing: every replica shows the marker.
    const after = [await startedAt(first), await startedAt(second)];
    await operator.apply('worker', change);
    expect([await startedAt(first), await startedAt(second)]).toEqual(after);
    expect((await operator.inspect('worker'))?.forceUpdate).toBeGreaterThanOrEqual(
      change.forceUpdate,
    );
  });

  it('recreates on the rollback target only the replica not recreated yet', async () => {
    const options = {
      docker: createDockerClient({ host: testDockerHost(), timeoutMs: 10_000 }),
      project: fixture.project,
    };
    const replicas = async () =>
      Promise.all(
        (await fixture.containers('worker')).map(
          async (c) => (await docker.getContainer(c.Id).inspect()) as unknown as EngineContainer,
        ),
      );
    const [first] = (await replicas()).filter(
      (c) => c.Config?.Labels?.['com.docker.compose.container-number'] === '1',
    );
    if (first === undefined) throw new Error('no first replica');
    // The first worker recreated replica 1 on the target, then died.
    await recreateContainer(composeProject(options), first, 'tas-fixture:2');
    const halfway = await replicas();
    // Half-way, the service still reads as the image not yet replaced everywhere.
    expect((await operator.inspect('worker'))?.image).toBe(testImage);
    await operator.apply('worker', { kind: 'rollback', target: { image: 'tas-fixture:2' } });
    const after = await replicas();
    const recreatedBefore = halfway.find((c) => c.Config?.Image === 'tas-fixture:2')?.Id;
    expect(after.map((c) => c.Config?.Image)).toEqual(['tas-fixture:2', 'tas-fixture:2']);
    // The replica already on the target is the same container, not recreated twice.
    expect(after.map((c) => c.Id)).toContain(recreatedBefore);
    expect((await operator.inspect('worker'))?.image).toBe('tas-fixture:2');
  });
});
