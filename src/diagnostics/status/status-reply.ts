import type { Reply, ReplyBlock, ReplyRow, Tone } from '../../core/reply.js';
import { formatDuration } from '../../lib/duration.js';
import type { ServiceHealth, ServiceHealthState } from './assess-service.js';
import type { ProbeCheck, StatusSnapshot } from './status-snapshot.js';

const TONE: Readonly<Record<ServiceHealthState, Tone>> = {
  ok: 'ok',
  degraded: 'warn',
  stopped: 'warn',
  missing: 'warn',
  down: 'fail',
};

/**
 * `prod: DEGRADED`, one row per service (`backend  1/1  5.15.2`), one per probe
 * (`readiness  503 {"status":"UNAVAILABLE"}  12ms`) and how long the check took.
 */
export function statusReply(
  snapshot: StatusSnapshot,
  platform: 'swarm' | 'compose' | 'ecs' = 'swarm',
): Reply {
  const serviceRows: ReplyRow[] = snapshot.services.map((s) => serviceRow(s, platform));
  if (snapshot.platformError !== undefined) {
    // Named after what failed to answer: the Engine, or ECS.
    const label = platform === 'ecs' ? 'ecs' : 'docker';
    serviceRows.unshift({ label, value: snapshot.platformError, tone: 'fail' });
  }
  return {
    title: `${snapshot.environment}: ${snapshot.verdict}`,
    verdict: snapshot.verdict,
    blocks: [
      { kind: 'rows', title: 'Services', rows: serviceRows },
      ...unconfiguredLine(snapshot),
      ...(snapshot.probes.length === 0
        ? []
        : [{ kind: 'rows' as const, title: 'Probes', rows: snapshot.probes.map(probeRow) }]),
      { kind: 'text', text: `checked in ${formatDuration(snapshot.tookMs)}` },
    ],
    data: snapshot,
  };
}

function serviceRow(service: ServiceHealth, platform: string): ReplyRow {
  const parts: string[] = [];
  const state = service.state;
  if (state !== undefined) parts.push(`${state.running}/${state.desired}`);
  // The tag matters while something runs; a loop or a stop says more than the tag does.
  const showTag =
    service.issue === undefined || service.issue === 'partial' || service.issue === 'updating';
  if (state !== undefined && showTag) parts.push(state.imageTag);
  if (service.issue !== undefined && service.issue !== 'partial') parts.push(service.problem);
  if (state?.update?.state === 'rollback_completed') parts.push('rolled back');
  // ECS: is the new deployment done? The PRIMARY one's revision and rollout state, always.
  if (
    platform === 'ecs' &&
    state?.update?.state === 'completed' &&
    state.update.message !== undefined
  )
    parts.push(`deployment: ${state.update.message}`);
  return { label: service.name, value: parts.join('  '), tone: TONE[service.health] };
}

/** Stack services the config leaves out, in one line: seen, but never part of the verdict. */
function unconfiguredLine(snapshot: StatusSnapshot): ReplyBlock[] {
  const names = snapshot.unconfigured ?? [];
  return names.length === 0 ? [] : [{ kind: 'text', text: `not configured: ${names.join(', ')}` }];
}

function probeRow(probe: ProbeCheck): ReplyRow {
  if (probe.configProblem !== undefined) {
    return {
      label: probe.name,
      value: `configuration problem: ${probe.configProblem}  ${probe.latencyMs}ms`,
      tone: 'warn',
    };
  }
  const tone: Tone = probe.outcome === 'ok' ? 'ok' : probe.severity === 'down' ? 'fail' : 'warn';
  return { label: probe.name, value: `${probe.detail}  ${probe.latencyMs}ms`, tone };
}
