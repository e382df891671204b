import type { EngineContainer } from '../../../../src/infra/compose/engine-container.js';

/** A container inspect as Engine 20.10 returns it for a Compose service, with overrides. */
export function container(
  overrides: {
    id?: string;
    service?: string;
    number?: number;
    status?: string;
    exitCode?: number;
    health?: string;
    healthOutput?: string;
    startedAt?: string;
    finishedAt?: string;
    restarts?: number;
    image?: string;
    labels?: Record<string, string>;
    oom?: boolean;
  } = {},
): EngineContainer {
  const status = overrides.status ?? 'running';
  return {
    Id: overrides.id ?? 'a1b2c3d4e5f6a7b8c9d0',
    Name: `/proj-${overrides.service ?? 'app'}-${overrides.number ?? 1}`,
    Created: '2026-01-01T10:00:00.000000000Z',
    Image: 'sha256:1111',
    RestartCount: overrides.restarts ?? 0,
    State: {
      Status: status,
      Running: status === 'running',
      Restarting: status === 'restarting',
      OOMKilled: overrides.oom ?? false,
      ExitCode: overrides.exitCode ?? 0,
      Error: '',
      StartedAt: overrides.startedAt ?? '2026-01-01T10:00:01.000000000Z',
      FinishedAt: overrides.finishedAt ?? '0001-01-01T00:00:00Z',
      ...(overrides.health !== undefined && {
        Health: {
          Status: overrides.health,
          FailingStreak: overrides.health === 'unhealthy' ? 3 : 0,
          Log: [{ ExitCode: 1, Output: overrides.healthOutput ?? '' }],
        },
      }),
    },
    Config: {
      Hostname: (overrides.id ?? 'a1b2c3d4e5f6a7b8c9d0').slice(0, 12),
      Image: overrides.image ?? 'ghcr.io/vladenisov/tripl:1.3.0',
      Env: ['PATH=/usr/local/bin:/usr/bin', 'DATABASE_URL=postgresql://tripl@postgres/tripl'],
      Cmd: ['uvicorn', 'tripl.main:app'],
      Labels: {
        'com.docker.compose.project': 'proj',
        'com.docker.compose.service': overrides.service ?? 'app',
        'com.docker.compose.container-number': String(overrides.number ?? 1),
        ...overrides.labels,
      },
    },
    HostConfig: { NetworkMode: 'host', RestartPolicy: { Name: 'unless-stopped' } },
    NetworkSettings: { Networks: { host: {} } },
  };
}
