import type { TaskSummary } from '../../../../src/core/ports/container-platform.js';

export const NOW = new Date('2026-12-01T08:30:00Z');

/** A task that reached `state` `secondsAgo` before NOW (created a second or two earlier). */
export function task(
  state: string,
  secondsAgo: number,
  overrides: Partial<TaskSummary> = {},
): TaskSummary {
  const timestamp = new Date(NOW.getTime() - secondsAgo * 1000);
  return {
    id: `t-${state}-${secondsAgo}`,
    slot: 1,
    state,
    desiredState: state === 'running' ? 'running' : 'shutdown',
    message: state === 'failed' ? 'started' : state,
    ...(state === 'failed' ? { error: 'task: non-zero exit (1)', exitCode: 1 } : {}),
    timestamp,
    createdAt: new Date(timestamp.getTime() - 1600),
    ...overrides,
  };
}

/** What Swarm shows for a slot in a fast loop: 4 failures ~1.7 s apart plus the next try. */
export function fastLoop(startSecondsAgo = 8): TaskSummary[] {
  return [
    task('starting', 0, { desiredState: 'running' }),
    ...[0, 1, 2, 3].map((n) => task('failed', startSecondsAgo - n * 1.7)),
  ];
}
