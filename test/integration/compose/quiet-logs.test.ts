import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestSwarm, testDockerHost } from '../docker/test-swarm.js';
import {
  composeFixture,
  eventually,
  uniqueProject,
  type ComposeFixture,
} from './compose-fixture.js';
import { startPlatformHarness, type PlatformHarness } from './platform-harness.js';

/** tripl's two healthy celery workers, alone: each logs its start, then a routine line every 3 s. */
describe('/tas logs of a quiet two-replica Compose service', () => {
  let docker: Docker;
  let fixture: ComposeFixture;
  let h: PlatformHarness;

  beforeAll(async () => {
    docker = await connectTestSwarm();
    fixture = composeFixture(docker, uniqueProject());
    for (const number of [1, 2]) {
      await fixture.create({
        service: 'celery-worker',
        number,
        script: 'tripl-celery.sh',
        env: { ROLE: 'worker', REPLICA: number },
      });
    }
    h = await startPlatformHarness(`    platform: compose
    stack: ${fixture.project}
    docker: { host: "${testDockerHost()}" }
    services: [celery-worker]`);
  });
  afterAll(async () => {
    await h?.close();
    await fixture?.removeAll();
  });

  it('shows the last lines of both replicas, each labelled with its replica', async () => {
    const lines = await eventually('both workers ready', async () => {
      const reply = await h.say('alice', '/tas logs celery-worker --tail 50');
      const shown = reply.blocks.flatMap((b) => (b.kind === 'excerpt' ? b.lines : []));
      return [1, 2].every((n) => shown.some((line) => line.includes(`celery@worker-${n} ready.`)))
        ? { reply, shown }
        : undefined;
    });

    expect(lines.reply.title).toMatch(
      /^celery-worker logs \(last 50 lines per task\): 0 lines of interest in \d+$/,
    );
    expect(lines.shown).toContainEqual(
      expect.stringMatching(
        /^celery-worker\.1 \| \S+Z \[INFO\/MainProcess\] celery@worker-1 ready\.$/,
      ),
    );
    expect(lines.shown).toContainEqual(
      expect.stringMatching(
        /^celery-worker\.2 \| \S+Z \[INFO\/MainProcess\] celery@worker-2 ready\.$/,
      ),
    );
    expect(lines.shown.every((line) => /^celery-worker\.[12] \| /.test(line))).toBe(true);
  });
});
