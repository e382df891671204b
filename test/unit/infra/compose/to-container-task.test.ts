import { describe, expect, it } from 'vitest';
import { toContainerTask } from '../../../../src/infra/compose/to-container-task.js';
import { container } from './container-fixtures.js';

describe('toContainerTask', () => {
  it('maps a running container without a healthcheck to a running task created at its start', () => {
    const task = toContainerTask(container({ number: 2, startedAt: '2026-01-01T10:05:00Z' }));
    expect(task).toMatchObject({
      id: 'a1b2c3d4e5f6',
      slot: 2,
      state: 'running',
      desiredState: 'running',
      message: 'Up',
    });
    expect(task.createdAt.toISOString()).toBe('2026-01-01T10:05:00.000Z');
  });

  it('keeps a container whose healthcheck is still starting out of the running count', () => {
    expect(toContainerTask(container({ health: 'starting' })).state).toBe('starting');
  });

  it('names the failing healthcheck and its last output', () => {
    const task = toContainerTask(
      container({ health: 'unhealthy', healthOutput: 'curl: (7) Failed to connect\n' }),
    );
    expect(task.state).toBe('unhealthy');
    expect(task.error).toBe('health check failing (3 in a row): curl: (7) Failed to connect');
  });

  it('counts a clean exit as complete and a non-zero one as failed, with the exit code', () => {
    expect(
      toContainerTask(
        container({ status: 'exited', exitCode: 0, finishedAt: '2026-01-01T10:01:00Z' }),
      ),
    ).toMatchObject({ state: 'complete', exitCode: 0, message: 'Exited (0)' });
    const failed = toContainerTask(
      container({ status: 'exited', exitCode: 3, finishedAt: '2026-01-01T10:01:00Z' }),
    );
    expect(failed).toMatchObject({ state: 'failed', exitCode: 3, error: 'non-zero exit (3)' });
    expect(failed.timestamp.toISOString()).toBe('2026-01-01T10:01:00.000Z');
  });

  it('reports a restarting container as failed, with its restart count and an OOM kill', () => {
    const task = toContainerTask(
      container({ status: 'restarting', exitCode: 137, oom: true, restarts: 4 }),
    );
    expect(task).toMatchObject({
      state: 'failed',
      desiredState: 'running',
      message: 'Exited (137), restarted 4 times',
    });
    expect(task.error).toBe('non-zero exit (137), OOM killed, restarting');
  });

  it('shows the restart count of a running container in its message', () => {
    expect(toContainerTask(container({ restarts: 1, health: 'healthy' })).message).toBe(
      'Up (healthy), restarted 1 time',
    );
  });

  it('treats a created, never started container as pending since its creation', () => {
    const task = toContainerTask(
      container({ status: 'created', startedAt: '0001-01-01T00:00:00Z' }),
    );
    expect(task.state).toBe('pending');
    expect(task.createdAt.toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });
});
