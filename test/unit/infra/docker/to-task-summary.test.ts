import { describe, expect, it } from 'vitest';
import { newestFirst, toTaskSummary } from '../../../../src/infra/docker/to-task-summary.js';
import { engineTask } from './engine-fixtures.js';

describe('toTaskSummary', () => {
  it('keeps the error and exit code of a task that crashed', () => {
    const summary = toTaskSummary(
      engineTask('svc', {
        id: 'gj93n9',
        state: 'failed',
        message: 'started',
        err: 'task: non-zero exit (1)',
        exitCode: 1,
        createdAt: '2026-12-01T08:01:41.505575058Z',
        timestamp: '2026-12-01T08:01:43.08782581Z',
      }),
    );
    expect(summary).toEqual({
      id: 'gj93n9',
      slot: 1,
      state: 'failed',
      desiredState: 'shutdown',
      message: 'started',
      error: 'task: non-zero exit (1)',
      exitCode: 1,
      timestamp: new Date('2026-12-01T08:01:43.087Z'),
      createdAt: new Date('2026-12-01T08:01:41.505Z'),
    });
  });

  it('drops the -1 exit code the Engine reports for a running task', () => {
    expect(toTaskSummary(engineTask('svc', { state: 'running', exitCode: -1 }))).not.toHaveProperty(
      'exitCode',
    );
  });

  it('drops the exit code of a rejected task, which never had a container', () => {
    const summary = toTaskSummary(
      engineTask('svc', {
        state: 'rejected',
        err: 'No such image: nonexistent-image:9',
        containerId: '',
        exitCode: 0,
      }),
    );
    expect(summary).not.toHaveProperty('exitCode');
    expect(summary.error).toBe('No such image: nonexistent-image:9');
  });

  it('tolerates a task with no status at all', () => {
    const summary = toTaskSummary({ ID: 'x' });
    expect(summary).toMatchObject({
      id: 'x',
      state: 'unknown',
      desiredState: 'unknown',
      message: '',
    });
    expect(summary.timestamp.getTime()).toBe(0);
  });
});

describe('newestFirst', () => {
  it('orders by creation, newest first', () => {
    const older = toTaskSummary(engineTask('s', { id: 'old', createdAt: '2026-12-01T08:00:00Z' }));
    const newer = toTaskSummary(engineTask('s', { id: 'new', createdAt: '2026-12-01T08:05:00Z' }));
    expect([older, newer].sort(newestFirst).map((task) => task.id)).toEqual(['new', 'old']);
  });
});
