import { describe, expect, it } from 'vitest';
import { detectRestartLoop } from '../../../../src/diagnostics/status/detect-restart-loop.js';
import { NOW, fastLoop, task } from './tasks.js';

const TEN_MINUTES = 10 * 60_000;
const options = { failures: 3, windowMs: TEN_MINUTES, now: NOW };

describe('detectRestartLoop', () => {
  it('finds no loop in a service whose only task runs', () => {
    expect(detectRestartLoop([task('running', 3600)], options)).toEqual({
      inLoop: false,
      failures: 0,
      windowMs: TEN_MINUTES,
    });
  });

  it('reports a loop when the failures in the window reach the threshold', () => {
    const tasks = [
      task('running', 10),
      task('failed', 60),
      task('failed', 120),
      task('failed', 180),
    ];

    expect(detectRestartLoop(tasks, options)).toEqual({
      inLoop: true,
      failures: 3,
      windowMs: TEN_MINUTES,
      lastError: 'task: non-zero exit (1)',
    });
  });

  it('ignores failures older than the window', () => {
    const tasks = [
      task('running', 10),
      task('failed', 700),
      task('failed', 800),
      task('failed', 60),
    ];

    expect(detectRestartLoop(tasks, options)).toMatchObject({ inLoop: false, failures: 1 });
  });

  it('counts rejected tasks, with the reason they were rejected', () => {
    const rejected = (ago: number) =>
      task('rejected', ago, { error: 'No such image: tas/backend:9' });

    expect(detectRestartLoop([rejected(1), rejected(2), rejected(3)], options)).toMatchObject({
      inLoop: true,
      lastError: 'No such image: tas/backend:9',
    });
  });

  it('counts tasks that completed by themselves, but not for jobs', () => {
    const completed = [task('complete', 5), task('complete', 7), task('complete', 9)];

    expect(detectRestartLoop(completed, options)).toMatchObject({
      inLoop: true,
      lastError: 'exited with code 0 (completed) and was restarted',
    });
    expect(detectRestartLoop(completed, { ...options, countCompleted: false }).inLoop).toBe(false);
  });

  it('never counts tasks the orchestrator shut down, whatever their exit code', () => {
    // A force update of a shell that ignores SIGTERM: killed after the grace period, exit 137.
    const restarts = [1, 2, 3].map((n) =>
      task('shutdown', n * 60, { exitCode: 137, message: 'shutdown' }),
    );

    expect(detectRestartLoop([task('running', 5), ...restarts], options)).toMatchObject({
      inLoop: false,
      failures: 0,
    });
  });

  it('names the newest failure as the last error', () => {
    const tasks = [
      task('failed', 30, { error: 'task: non-zero exit (2)' }),
      task('failed', 10, { error: 'task: non-zero exit (137)' }),
    ];

    expect(detectRestartLoop(tasks, { ...options, failures: 1 }).lastError).toBe(
      'task: non-zero exit (137)',
    );
  });

  describe('when the task history is truncated', () => {
    it('reads the rate from the timestamps: 4 failures in 8 s is a loop even when 5 are required', () => {
      const result = detectRestartLoop(fastLoop(), { ...options, failures: 5 });

      expect(result).toMatchObject({ inLoop: true, failures: 4 });
    });

    it('does not extrapolate a slot whose history is not full', () => {
      const tasks = [
        task('running', 1, { desiredState: 'running' }),
        task('failed', 3),
        task('failed', 5),
      ];

      expect(detectRestartLoop(tasks, { ...options, failures: 5 })).toMatchObject({
        inLoop: false,
        failures: 2,
      });
    });

    it('does not extrapolate when the full history reaches back past the window', () => {
      const tasks = [
        task('running', 240, { desiredState: 'running' }),
        task('failed', 300),
        task('failed', 400),
        task('shutdown', 800, { exitCode: 0 }),
        task('shutdown', 900, { exitCode: 0 }),
      ];

      expect(detectRestartLoop(tasks, { ...options, failures: 5 })).toMatchObject({
        inLoop: false,
        failures: 2,
      });
    });

    it('sees a burst long past as slow: 4 failures 9 minutes ago and nothing since is no loop of 10', () => {
      const tasks = [
        task('running', 530, { desiredState: 'running' }),
        ...[0, 1, 2, 3].map((n) => task('failed', 540 - n)),
      ];

      expect(detectRestartLoop(tasks, { ...options, failures: 10 }).inLoop).toBe(false);
    });

    it('extrapolates each slot on its own', () => {
      const slot2 = fastLoop().map((t) => ({ ...t, id: `${t.id}-2`, slot: 2 }));

      expect(
        detectRestartLoop([...fastLoop(), ...slot2], { ...options, failures: 20 }),
      ).toMatchObject({
        inLoop: true,
        failures: 8,
      });
    });
  });
});
