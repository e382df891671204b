import { describe, expect, it } from 'vitest';
import { checkStatus } from '../../../../src/diagnostics/status/check-status.js';
import type { StatusSnapshot } from '../../../../src/diagnostics/status/status-snapshot.js';
import { statusReply } from '../../../../src/diagnostics/status/status-reply.js';
import { environment, fakePlatform, fakeProber, service, steppingClock } from './status-fakes.js';
import { fastLoop } from './tasks.js';

async function degradedProd(): Promise<StatusSnapshot> {
  const listing = [
    service('backend-cron', { running: 0, tasks: fastLoop() }),
    service('backend'),
    service('frontend', { desired: 2, running: 1 }),
    service('redis', { desired: 0, running: 0, tasks: [] }),
    service('adminer', { imageTag: '4.8.1' }),
  ];
  return checkStatus(
    {
      platform: fakePlatform(listing),
      prober: fakeProber({
        readiness: {
          outcome: 'fail',
          status: 503,
          detail: '503 {"status":"UNAVAILABLE"}',
          latencyMs: 12,
        },
        search: {
          outcome: 'timeout',
          detail: 'timed out after 5s waiting for a response',
          latencyMs: 5000,
        },
      }),
      clock: steppingClock(84),
    },
    environment({
      services: ['backend-cron', 'backend', 'frontend', 'redis', 'database'],
      probes: [
        { name: 'liveness', url: 'https://tas.example/api/status/liveness' },
        { name: 'readiness', url: 'https://tas.example/api/status/readiness' },
        { name: 'search', url: 'https://tas.example/api/search', severity: 'degraded' },
      ],
    }),
    'prod',
  );
}

describe('statusReply', () => {
  it('titles the reply with the environment and verdict and keeps the snapshot as data', async () => {
    const snapshot = await degradedProd();

    const reply = statusReply(snapshot);

    expect(reply.title).toBe('prod: DOWN');
    expect(reply.verdict).toBe('DOWN');
    expect(reply.data).toBe(snapshot);
  });

  it('shows one row per service: replicas, then the tag or what is wrong', async () => {
    const [services] = statusReply(await degradedProd()).blocks;

    expect(services).toEqual({
      kind: 'rows',
      title: 'Services',
      rows: [
        {
          label: 'backend-cron',
          value: '0/1  restart loop (4 failed tasks in 10m): task: non-zero exit (1)',
          tone: 'fail',
        },
        { label: 'backend', value: '1/1  5.15.2', tone: 'ok' },
        { label: 'frontend', value: '1/2  5.15.2', tone: 'warn' },
        { label: 'redis', value: '0/0  scaled to 0', tone: 'warn' },
        { label: 'database', value: 'not deployed', tone: 'warn' },
      ],
    });
  });

  it('names the stack services the config does not list in one line after the services', async () => {
    const [, line] = statusReply(await degradedProd()).blocks;

    expect(line).toEqual({ kind: 'text', text: 'not configured: adminer' });
  });

  it('shows one row per probe with its detail and latency, toned by severity', async () => {
    const [, , probes] = statusReply(await degradedProd()).blocks;

    expect(probes).toEqual({
      kind: 'rows',
      title: 'Probes',
      rows: [
        { label: 'liveness', value: '200 OK  12ms', tone: 'ok' },
        { label: 'readiness', value: '503 {"status":"UNAVAILABLE"}  12ms', tone: 'fail' },
        {
          label: 'search',
          value: 'timed out after 5s waiting for a response  5000ms',
          tone: 'warn',
        },
      ],
    });
  });

  it('ends with how long the check took', async () => {
    const { blocks } = statusReply(await degradedProd());

    expect(blocks.at(-1)).toEqual({ kind: 'text', text: 'checked in 84ms' });
  });

  it('puts an unreachable platform in the services block as an error row', async () => {
    const snapshot = await checkStatus(
      {
        platform: fakePlatform(
          new Error('Docker at unix:///var/run/docker.sock is unreachable (ENOENT).'),
        ),
        prober: fakeProber(),
        clock: steppingClock(),
      },
      environment(),
      'staging',
    );

    const reply = statusReply(snapshot);

    expect(reply.title).toBe('staging: DEGRADED');
    expect(reply.blocks).toEqual([
      {
        kind: 'rows',
        title: 'Services',
        rows: [
          {
            label: 'docker',
            value: 'Docker at unix:///var/run/docker.sock is unreachable (ENOENT).',
            tone: 'fail',
          },
        ],
      },
      { kind: 'text', text: 'checked in 84ms' },
    ]);
  });

  it('shows the tag and the update while a service updates', async () => {
    const snapshot = await checkStatus(
      {
        platform: fakePlatform([
          service('backend', { update: { state: 'updating', message: 'update in progress' } }),
        ]),
        prober: fakeProber(),
        clock: steppingClock(),
      },
      environment({ services: ['backend'] }),
      'prod',
    );

    const [services] = statusReply(snapshot).blocks;

    expect(services).toMatchObject({
      rows: [
        { label: 'backend', value: '1/1  5.15.2  updating (update in progress)', tone: 'warn' },
      ],
    });
  });
});

describe('statusReply when the platform cannot be listed', () => {
  const unreachable = {
    environment: 'cloudtak',
    verdict: 'DOWN' as const,
    checkedAt: new Date('2026-11-22T10:00:00Z'),
    tookMs: 12,
    services: [],
    probes: [],
    platformError: 'AWS ECS did not answer DescribeServices (ECONNREFUSED)',
    reasons: ['AWS ECS did not answer'],
  };

  it('names ECS, not Docker, as what did not answer on an ECS environment', () => {
    const [services] = statusReply(unreachable, 'ecs').blocks;
    expect(services).toMatchObject({
      rows: [{ label: 'ecs', value: unreachable.platformError, tone: 'fail' }],
    });
  });

  it('names Docker on Swarm and Compose environments', () => {
    for (const platform of ['swarm', 'compose'] as const) {
      const [services] = statusReply(unreachable, platform).blocks;
      expect(services).toMatchObject({ rows: [{ label: 'docker', tone: 'fail' }] });
    }
  });
});
