import type { EngineService, EngineTask } from '../../../../src/infra/docker/engine-types.js';

/**
 * Engine API v1.41 shapes as observed on Docker Engine 20.10.24 (single-node swarm), trimmed to
 * what the adapter reads plus a little noise it must ignore.
 */
export function engineService(
  name: string,
  overrides: {
    id?: string;
    replicas?: number;
    global?: boolean;
    running?: number;
    desiredTasks?: number;
    image?: string;
    tty?: boolean;
    namespace?: string;
    update?: { State: string; Message?: string };
    index?: number;
  } = {},
): EngineService & Record<string, unknown> {
  const replicas = overrides.replicas ?? 1;
  return {
    ID: overrides.id ?? `id-${name}`,
    Version: { Index: overrides.index ?? 20 },
    CreatedAt: '2026-12-01T08:01:24.647518181Z',
    UpdatedAt: '2026-12-01T08:01:24.650121533Z',
    Spec: {
      Name: name,
      Labels:
        overrides.namespace === undefined
          ? {}
          : { 'com.docker.stack.namespace': overrides.namespace },
      TaskTemplate: {
        ContainerSpec: {
          Image:
            overrides.image ??
            'registry.example:5000/tas/backend:5.15.2@sha256:0123456789abcdef0123',
          ...(overrides.tty === undefined ? {} : { TTY: overrides.tty }),
        },
      },
      Mode: overrides.global === true ? { Global: {} } : { Replicated: { Replicas: replicas } },
    },
    Endpoint: { Spec: { Mode: 'vip' } },
    ...(overrides.update === undefined ? {} : { UpdateStatus: overrides.update }),
    ServiceStatus: {
      RunningTasks: overrides.running ?? replicas,
      DesiredTasks: overrides.desiredTasks ?? replicas,
      CompletedTasks: 0,
    },
  };
}

export function engineTask(
  serviceId: string,
  overrides: {
    id?: string;
    slot?: number;
    state?: string;
    desired?: string;
    message?: string;
    err?: string;
    exitCode?: number;
    containerId?: string;
    createdAt?: string;
    timestamp?: string;
  } = {},
): EngineTask {
  const state = overrides.state ?? 'running';
  const task = {
    ID: overrides.id ?? `task-${Math.random().toString(36).slice(2, 10)}`,
    Version: { Index: 30 },
    CreatedAt: overrides.createdAt ?? '2026-12-01T08:02:09.874000000Z',
    ServiceID: serviceId,
    Slot: overrides.slot ?? 1,
    NodeID: 'xwfmhns1c9ygstybf7czlaaw0',
    DesiredState: overrides.desired ?? (state === 'running' ? 'running' : 'shutdown'),
    Status: {
      Timestamp: overrides.timestamp ?? '2026-12-01T08:02:11.511000000Z',
      State: state,
      Message: overrides.message ?? (state === 'running' ? 'started' : 'finished'),
      ...(overrides.err === undefined ? {} : { Err: overrides.err }),
      ContainerStatus: {
        ContainerID:
          overrides.containerId ??
          'a08a8c22335b27fae811121a9f9acced67cd5682ac4d98512e8c8a68ce96c4d8',
        PID: state === 'running' ? 4242 : 0,
        ExitCode: overrides.exitCode ?? (state === 'running' ? -1 : 0),
      },
      PortStatus: {},
    },
  };
  return task;
}
