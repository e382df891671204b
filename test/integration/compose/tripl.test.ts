import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestSwarm, testDockerHost } from '../docker/test-swarm.js';
import {
  composeFixture,
  eventually,
  freePort,
  uniqueProject,
  type ComposeFixture,
} from './compose-fixture.js';
import {
  rowValue,
  startPlatformHarness,
  textOf,
  type PlatformHarness,
} from './platform-harness.js';

const DEPENDS =
  'postgres:service_healthy:false,rabbitmq:service_healthy:false,migrate:service_completed_successfully:false';

/** tripl's compose.yaml: three healthchecked backing services, the one-shot migrate, the app tier. */
async function startTripl(fixture: ComposeFixture, migrateExit: number) {
  const ports = {
    postgres: await freePort(),
    rabbitmq: await freePort(),
    redis: await freePort(),
    app: await freePort(),
  };
  const health = (port: number) => `wget -q -O /dev/null http://127.0.0.1:${port}/ || exit 1`;
  await fixture.create({
    service: 'postgres',
    script: 'tcp-service.sh',
    env: { NAME: 'postgres', PORT: ports.postgres },
    healthcheck: health(ports.postgres),
  });
  await fixture.create({
    service: 'rabbitmq',
    script: 'tcp-service.sh',
    env: { NAME: 'rabbitmq', PORT: ports.rabbitmq },
    healthcheck: health(ports.rabbitmq),
  });
  await fixture.create({
    service: 'redis',
    script: 'tcp-service.sh',
    env: { NAME: 'redis', PORT: ports.redis },
    healthcheck: health(ports.redis),
  });
  await fixture.create({
    service: 'migrate',
    script: 'tripl-migrate.sh',
    env: { MIGRATE_EXIT: migrateExit },
    restart: 'no',
    dependsOn: 'postgres:service_healthy:false',
    runToCompletion: true,
  });
  await fixture.create({
    service: 'app',
    script: 'tripl-app.sh',
    env: { PORT: ports.app, DB_PORT: ports.postgres },
    dependsOn: DEPENDS,
  });
  for (const number of [1, 2]) {
    await fixture.create({
      service: 'celery-worker',
      number,
      script: 'tripl-celery.sh',
      env: { ROLE: 'worker', BROKER_PORT: ports.rabbitmq, REPLICA: number },
      dependsOn: DEPENDS,
    });
  }
  await fixture.create({
    service: 'celery-beat',
    script: 'tripl-celery.sh',
    env: { ROLE: 'beat' },
    dependsOn: DEPENDS,
  });
  return ports;
}

function environment(project: string, appPort: number): string {
  return `    platform: compose
    stack: ${project}
    docker: { host: "${testDockerHost()}" }
    services: [app, celery-worker, celery-beat, migrate, redis, rabbitmq, postgres]
    probes:
      - name: health
        url: "http://127.0.0.1:${appPort}/cgi-bin/health"
        expect: { status: 200, json: { status: ok } }
        failureField: component`;
}

/** Status once every healthchecked service has passed its check and the app runs. */
async function settledStatus(h: PlatformHarness) {
  return eventually('the stack settled', async () => {
    const reply = await h.say('alice', '/tas status');
    const healthy = ['postgres', 'rabbitmq', 'redis', 'app'].every(
      (name) => rowValue(reply, name)?.startsWith('1/1') === true,
    );
    return healthy ? reply : undefined;
  });
}

describe('tripl on Docker Compose', () => {
  let docker: Docker;
  let fixture: ComposeFixture;
  let h: PlatformHarness;

  beforeAll(async () => {
    docker = await connectTestSwarm();
    fixture = composeFixture(docker, uniqueProject());
    const ports = await startTripl(fixture, 0);
    h = await startPlatformHarness(environment(fixture.project, ports.app));
  });
  afterAll(async () => {
    await h?.close();
    await fixture?.removeAll();
  });

  it('is OK with migrate exited 0, two workers and a healthy /health', async () => {
    const reply = await settledStatus(h);
    expect(reply.title).toBe('sys: OK');
    expect(rowValue(reply, 'celery-worker')).toMatch(/^2\/2/);
    expect(rowValue(reply, 'migrate')).toMatch(/^0\/1/);
    expect(rowValue(reply, 'health')).toMatch(/^200 OK/);
  });

  it('shows the last lines of the workers, both replicas merged', async () => {
    const reply = await h.say('alice', '/tas logs celery-worker --tail 50 --grep ready');
    const text = textOf(reply);
    // One line from each replica; the excerpt collapses them (digits differ only) into one ×2.
    expect(text).toMatch(/×2: \[INFO\/MainProcess\] celery@worker-\d ready\./);
    expect(text).toMatch(/\(last 50 lines per task\): 2 of [\d,]+ lines match \/ready\//);
  });

  it('restarts every worker replica after approval, and verifies them', async () => {
    const before = await Promise.all(
      (await fixture.containers('celery-worker')).map((c) => docker.getContainer(c.Id).inspect()),
    );
    const { verdict } = await h.approved('/tas restart celery-worker');
    expect(verdict.title).toBe('Verified: restart celery-worker: done and verified');
    for (const old of before) {
      const now = await docker.getContainer(old.Id).inspect();
      expect(Date.parse(now.State.StartedAt)).toBeGreaterThan(Date.parse(old.State.StartedAt));
    }
  });

  it('does not rerun the one-shot migrate from chat', async () => {
    const reply = await h.say('alice', '/tas restart migrate');
    expect(reply.title).toContain('migrate is a one-shot service');
    expect(reply.card).toBeUndefined();
  });

  it('names the failing component when /health answers 503', async () => {
    const [postgres] = await fixture.containers('postgres');
    await docker.getContainer(postgres?.Id ?? '').stop({ t: 1 });
    const reply = await eventually('the health probe failing', async () => {
      const r = await h.say('alice', '/tas status');
      return rowValue(r, 'health')?.startsWith('503') === true ? r : undefined;
    });
    expect(rowValue(reply, 'health')).toMatch(/^503 component=database/);
    expect(reply.verdict).toBe('DOWN');
    expect((reply.data as { reasons: string[] }).reasons).toContain(
      'health: 503 component=database',
    );
  });
});

describe('tripl whose migrate exited non-zero', () => {
  let fixture: ComposeFixture;
  let h: PlatformHarness;

  beforeAll(async () => {
    fixture = composeFixture(await connectTestSwarm(), uniqueProject());
    const ports = await startTripl(fixture, 3);
    h = await startPlatformHarness(environment(fixture.project, ports.app));
  });
  afterAll(async () => {
    await h?.close();
    await fixture?.removeAll();
  });

  it('is DEGRADED, naming the exit code', async () => {
    const reply = await settledStatus(h);
    expect(reply.title).toBe('sys: DEGRADED');
    expect(rowValue(reply, 'migrate')).toContain('exited with code 3');
    expect((reply.data as { reasons: string[] }).reasons).toEqual(['migrate: exited with code 3']);
  });

  it('shows why in the migrate logs', async () => {
    const text = textOf(await h.say('alice', '/tas logs migrate --tail 50'));
    expect(text).toContain("Can't locate revision identified by '0043'");
  });
});
