import type { Verdict } from '../../core/reply.js';
import type { ServiceHealth } from './assess-service.js';
import type { ProbeCheck } from './status-snapshot.js';

/**
 * DOWN when a service that should run has nothing running, or a `down` probe fails; DEGRADED
 * for anything else that is not ok (loops, partial replicas, scaled to 0, not deployed,
 * updating, a failing `degraded` probe, a probe the server refused, an unreachable platform);
 * else OK. Reasons list the DOWN causes first.
 */
export function decideVerdict(
  services: readonly ServiceHealth[],
  probes: readonly ProbeCheck[],
  platformError: string | undefined,
): { verdict: Verdict; reasons: string[] } {
  const down: string[] = [];
  const degraded: string[] = [];
  if (platformError !== undefined) degraded.push(`platform: ${platformError}`);
  for (const service of services) {
    if (service.health === 'ok') continue;
    (service.health === 'down' ? down : degraded).push(`${service.name}: ${service.problem}`);
  }
  for (const probe of probes) {
    if (probe.outcome === 'ok') continue;
    // A refused probe (401/403, `misconfigured`): the server answered, so nothing is down, but
    // the check no longer tells whether the system works; never more than DEGRADED.
    if (probe.configProblem !== undefined) degraded.push(`${probe.name}: ${probe.configProblem}`);
    else (probe.severity === 'down' ? down : degraded).push(`${probe.name}: ${probe.detail}`);
  }
  const verdict: Verdict = down.length > 0 ? 'DOWN' : degraded.length > 0 ? 'DEGRADED' : 'OK';
  return { verdict, reasons: [...down, ...degraded] };
}
