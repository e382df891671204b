import type { TaskSummary } from '../../core/ports/container-platform.js';

export interface RestartLoopOptions {
  /** This many failed tasks inside the window make a loop (`restartLoop.failures`). */
  readonly failures: number;
  readonly windowMs: number;
  readonly now: Date;
  /** Tasks Swarm keeps per slot (`--task-history-limit`, default 5), current one included. */
  readonly historyLimit?: number;
  /**
   * Count tasks that exited 0 by themselves (`complete`) as restarts: a long-running service
   * that keeps completing is looping too. Pass false for jobs, where completing is the point.
   */
  readonly countCompleted?: boolean;
}

export interface RestartLoop {
  readonly inLoop: boolean;
  /** Failed tasks seen inside the window (the history may hold fewer than really happened). */
  readonly failures: number;
  readonly windowMs: number;
  /** The newest failure's error: `task: non-zero exit (1)`, `No such image: …`. */
  readonly lastError?: string;
}

/**
 * Counts the tasks that ended by themselves inside the window. Observed on Engine 20.10: a
 * crash ends `failed` with `Err: "task: non-zero exit (N)"`, an unstartable task `rejected`, a
 * clean self-exit `complete`; a task the orchestrator stops (update, scale-down) always ends
 * `shutdown`, whatever its exit code (0 after a TERM trap, 137 after the grace period), so
 * `shutdown` is never a failure.
 *
 * Swarm keeps only the last few tasks per slot, so a fast loop never shows more than ~4
 * failures however long it runs. When a slot's history is full and its oldest task is still
 * inside the window, the rest of the window is invisible: the failures seen are scaled from the
 * span they cover to the whole window (4 failures in the last 8 s → ~300 in 10 minutes).
 */
export function detectRestartLoop(
  tasks: readonly TaskSummary[],
  options: RestartLoopOptions,
): RestartLoop {
  const now = options.now.getTime();
  const since = now - options.windowMs;
  const historyLimit = options.historyLimit ?? 5;
  const countCompleted = options.countCompleted ?? true;
  const inWindow = (task: TaskSummary): boolean =>
    isFailure(task, countCompleted) && task.timestamp.getTime() >= since;

  const failed = tasks.filter(inWindow);
  let estimated = 0;
  for (const slot of groupBySlot(tasks).values()) {
    const seen = slot.filter(inWindow).length;
    const oldest = Math.min(...slot.map((task) => task.createdAt.getTime()));
    const truncated = slot.length >= historyLimit && oldest > since;
    estimated += truncated ? (seen * options.windowMs) / Math.max(now - oldest, 1) : seen;
  }
  const newest = failed.reduce<TaskSummary | undefined>(
    (latest, task) => (latest === undefined || task.timestamp > latest.timestamp ? task : latest),
    undefined,
  );
  const lastError = newest === undefined ? undefined : describeFailure(newest);
  return {
    inLoop: failed.length > 0 && Math.max(failed.length, estimated) >= options.failures,
    failures: failed.length,
    windowMs: options.windowMs,
    ...(lastError === undefined ? {} : { lastError }),
  };
}

function isFailure(task: TaskSummary, countCompleted: boolean): boolean {
  return (
    task.state === 'failed' ||
    task.state === 'rejected' ||
    (countCompleted && task.state === 'complete')
  );
}

function groupBySlot(tasks: readonly TaskSummary[]): Map<number | undefined, TaskSummary[]> {
  const slots = new Map<number | undefined, TaskSummary[]>();
  for (const task of tasks) slots.set(task.slot, [...(slots.get(task.slot) ?? []), task]);
  return slots;
}

function describeFailure(task: TaskSummary): string | undefined {
  if (task.error !== undefined) return task.error;
  if (task.state === 'complete') return 'exited with code 0 (completed) and was restarted';
  if (task.exitCode !== undefined) return `exit code ${task.exitCode}`;
  return task.message === '' ? undefined : task.message;
}
