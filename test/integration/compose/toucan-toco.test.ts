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

const USER_AGENT = 'Plop 4rQD3KzCxWzTYaRyp0NSEfd6';

/** The Toucan Toco stack of the administration runbook: frontend, backend, MongoDB, Redis. */
async function startToucan(fixture: ComposeFixture) {
  const ports = {
    frontend: await freePort(),
    backend: await freePort(),
    mongo: await freePort(),
    redis: await freePort(),
  };
  await fixture.create({
    service: 'mongodb',
    script: 'tcp-service.sh',
    env: { NAME: 'mongodb', PORT: ports.mongo },
  });
  await fixture.create({
    service: 'redis',
    script: 'tcp-service.sh',
    env: { NAME: 'redis', PORT: ports.redis },
  });
  await fixture.create({
    service: 'backend',
    script: 'toucan-backend.sh',
    env: { PORT: ports.backend, TOUCAN_STATUS_UA: USER_AGENT },
  });
  await fixture.create({
    service: 'frontend',
    script: 'toucan-frontend.sh',
    env: { PORT: ports.frontend },
  });
  return ports;
}

function environment(
  project: string,
  ports: Awaited<ReturnType<typeof startToucan>>,
  userAgent: string | undefined,
  misconfigured = true,
): string {
  const headers =
    userAgent === undefined ? '' : `\n        headers: { User-Agent: "${userAgent}" }`;
  const hint = misconfigured
    ? `\n        misconfigured: { status: [400, 403], hint: "the probe needs a User-Agent header: Toucan answers /status only to its monitoring User-Agent" }`
    : '';
  return `    platform: compose
    stack: ${project}
    docker: { host: "${testDockerHost()}" }
    services: [frontend, backend, mongodb, redis]
    probes:
      - { name: app, url: "http://127.0.0.1:${ports.frontend}/", expect: { status: 200 } }
      - name: status
        url: "http://127.0.0.1:${ports.backend}/cgi-bin/status"${headers}
        expect: { status: 200 }${hint}
      - { name: mongodb-port, tcp: "127.0.0.1:${ports.mongo}" }
      - { name: redis-port, tcp: "127.0.0.1:${ports.redis}" }`;
}

describe('Toucan Toco on Docker Compose', () => {
  let docker: Docker;
  let fixture: ComposeFixture;
  let ports: Awaited<ReturnType<typeof startToucan>>;
  let h: PlatformHarness;

  beforeAll(async () => {
    docker = await connectTestSwarm();
    fixture = composeFixture(docker, uniqueProject());
    ports = await startToucan(fixture);
    h = await startPlatformHarness(environment(fixture.project, ports, USER_AGENT));
  });
  afterAll(async () => {
    await h?.close();
    await fixture?.removeAll();
  });

  it('reports every service and probe OK, the status probe sending its User-Agent', async () => {
    const reply = await eventually('status OK', async () => {
      const r = await h.say('alice', '/tas status');
      return r.verdict === 'OK' ? r : undefined;
    });
    expect(reply.title).toBe('sys: OK');
    expect(rowValue(reply, 'backend')).toMatch(/^1\/1 {2}1$/);
    expect(rowValue(reply, 'status')).toMatch(/^200 OK/);
    expect(rowValue(reply, 'mongodb')).toMatch(/^1\/1/);
    expect(rowValue(reply, 'mongodb-port')).toMatch(/^connected/);
    expect(rowValue(reply, 'redis-port')).toMatch(/^connected/);
  });

  it('shows the backend’s JSON logs', async () => {
    const reply = await h.say(
      'alice',
      '/tas logs backend --since 15m --grep "migrations done|small-apps"',
    );
    const text = textOf(reply);
    expect(text).toContain('migrations done');
    expect(text).toContain('GET /api/small-apps 200');
    const warnings = textOf(await h.say('alice', '/tas logs backend --since 15m --level warn'));
    expect(warnings).toContain('slow query on collection front_config');
    expect(warnings).toMatch(/\(last 15m\): 1 of [\d,]+ lines? at level ≥ warn/);
  });

  it('restarts the backend container after a lead approves, and verifies it', async () => {
    const before = await fixture.inspect('backend');
    const { card, verdict } = await h.approved('/tas restart backend');
    expect(card.title).toMatch(/^restart .*backend — waiting for approval/);
    expect(verdict.title).toBe('Verified: restart backend: done and verified');
    const after = await fixture.inspect('backend');
    expect(after.Id).toBe(before.Id);
    expect(Date.parse(after.State.StartedAt)).toBeGreaterThan(Date.parse(before.State.StartedAt));
  });

  it('upgrades the backend image by recreating the container with the same configuration', async () => {
    const before = await fixture.inspect('backend');
    const { verdict } = await h.approved('/tas rollback backend 2');
    expect(verdict.title).toBe('Verified: rollback backend: done and verified');
    const after = await fixture.inspect('backend');
    expect(after.Id).not.toBe(before.Id);
    expect(after.Name).toBe(before.Name);
    expect(after.Config.Image).toBe('docker.io/library/tas-fixture:2');
    expect(after.Config.Env).toEqual(
      expect.arrayContaining([`PORT=${ports.backend}`, `TOUCAN_STATUS_UA=${USER_AGENT}`]),
    );
    expect(after.Config.Labels['com.docker.compose.service']).toBe('backend');
    expect(after.HostConfig.NetworkMode).toBe('host');
    expect(after.HostConfig.Binds).toEqual(before.HostConfig.Binds);
    expect((await fixture.containers('backend')).length).toBe(1);
  });

  it('refuses to scale a Compose service before any approval, saying why', async () => {
    const reply = await h.say('alice', '/tas scale frontend 2');
    expect(reply.title).toContain('keeps the number of replicas in the compose file');
    expect(reply.card).toBeUndefined();
  });
});

describe('Toucan Toco /status without the monitoring User-Agent', () => {
  let fixture: ComposeFixture;
  let h: PlatformHarness;
  let plain: PlatformHarness;

  beforeAll(async () => {
    fixture = composeFixture(await connectTestSwarm(), uniqueProject());
    const ports = await startToucan(fixture);
    h = await startPlatformHarness(environment(fixture.project, ports, undefined));
    plain = await startPlatformHarness(environment(fixture.project, ports, undefined, false));
  });
  afterAll(async () => {
    await h?.close();
    await plain?.close();
    await fixture?.removeAll();
  });

  const healthyStatus = (harness: PlatformHarness) =>
    eventually('every service running', async () => {
      const r = await harness.say('alice', '/tas status');
      return rowValue(r, 'backend')?.startsWith('1/1') === true &&
        rowValue(r, 'frontend')?.startsWith('1/1') === true
        ? r
        : undefined;
    });

  describe('when the probe lists 403 under `misconfigured`', () => {
    it('leaves the environment DEGRADED, not DOWN, with the configured hint', async () => {
      const reply = await healthyStatus(h);
      expect(reply.title).toBe('sys: DEGRADED');
      expect(rowValue(reply, 'status')).toMatch(
        /^configuration problem: the probe needs a User-Agent header.*\(got 403 Forbidden\)/,
      );
      const snapshot = reply.data as {
        probes: { name: string; configProblem?: string }[];
        reasons: string[];
      };
      expect(snapshot.probes.find((p) => p.name === 'status')?.configProblem).toContain(
        'User-Agent',
      );
      expect(snapshot.reasons).toEqual([
        expect.stringMatching(/^status: the probe needs a User-Agent header/) as unknown,
      ]);
    });
  });

  describe('when the probe has no `misconfigured`', () => {
    it('leaves the environment DEGRADED, not DOWN, saying the check is not authorised', async () => {
      const reply = await healthyStatus(plain);
      expect(reply.title).toBe('sys: DEGRADED');
      expect(rowValue(reply, 'status')).toMatch(
        /^configuration problem: the check is not authorised — check its headers\/credentials \(got 403 Forbidden\)/,
      );
      expect(rowValue(reply, 'app')).toMatch(/^200 OK/);
    });
  });
});
