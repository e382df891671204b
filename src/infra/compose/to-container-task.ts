import type { TaskSummary } from '../../core/ports/container-platform.js';
import { COMPOSE_NUMBER_LABEL } from './compose-labels.js';
import type { EngineContainer } from './engine-container.js';

/**
 * One container → a task, the unit status, restart-loop detection and verification reason
 * about. A container is one task per run: `createdAt` is when its current run started, so a
 * restart shows as a fresh task just as a Swarm force update does.
 *
 * States: running (healthy or without a healthcheck) → `running`; running with the healthcheck
 * still starting → `starting`; failing it → `unhealthy`; restarting (exited, waiting for its
 * restart policy) → `failed`; exited 0 → `complete`, otherwise `failed`; created → `pending`.
 */
export function toContainerTask(container: EngineContainer): TaskSummary {
  const state = container.State ?? {};
  const status = state.Status ?? 'unknown';
  const health = state.Health?.Status;
  const started = parseDate(state.StartedAt);
  const finished = parseDate(state.FinishedAt);
  const created = parseDate(container.Created) ?? new Date(0);
  const slot = Number(container.Config?.Labels?.[COMPOSE_NUMBER_LABEL]);
  const restarts = container.RestartCount ?? 0;
  const restarted = restarts > 0 ? `, restarted ${restarts} time${restarts === 1 ? '' : 's'}` : '';
  const base = {
    id: (container.Id ?? '').slice(0, 12),
    ...(Number.isInteger(slot) && slot > 0 && { slot }),
    createdAt: started ?? created,
  };
  if (status === 'running' || status === 'paused') {
    const taskState =
      status === 'paused'
        ? 'paused'
        : health === 'starting'
          ? 'starting'
          : health === 'unhealthy'
            ? 'unhealthy'
            : 'running';
    return {
      ...base,
      state: taskState,
      desiredState: 'running',
      message: `Up${health === undefined || health === 'none' ? '' : ` (${health})`}${restarted}`,
      ...(taskState === 'unhealthy' && { error: healthFailure(container) }),
      timestamp: started ?? created,
    };
  }
  if (status === 'exited' || status === 'restarting' || status === 'dead') {
    const exitCode = state.ExitCode ?? 0;
    const failed = exitCode !== 0 || status !== 'exited';
    const why = [
      exitCode === 0 ? undefined : `non-zero exit (${exitCode})`,
      state.OOMKilled === true ? 'OOM killed' : undefined,
      state.Error === undefined || state.Error === '' ? undefined : state.Error,
      status === 'restarting' ? 'restarting' : undefined,
    ].filter((part) => part !== undefined);
    return {
      ...base,
      state: failed ? 'failed' : 'complete',
      desiredState: status === 'restarting' ? 'running' : 'shutdown',
      message: `Exited (${exitCode})${restarted}`,
      ...(failed && { error: why.join(', ') || status }),
      exitCode,
      timestamp: finished ?? started ?? created,
    };
  }
  return {
    ...base,
    state: 'pending',
    desiredState: 'running',
    message: status,
    timestamp: created,
  };
}

function healthFailure(container: EngineContainer): string {
  const health = container.State?.Health;
  const last = health?.Log?.at(-1);
  const output = (last?.Output ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const streak = health?.FailingStreak ?? 0;
  return `health check failing (${streak} in a row)${output === '' ? '' : `: ${output}`}`;
}

/** Docker writes `0001-01-01T00:00:00Z` for "never": that is no date. */
function parseDate(text: string | undefined): Date | undefined {
  if (text === undefined || text.startsWith('0001-')) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
