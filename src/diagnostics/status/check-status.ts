import type { EnvironmentConfig } from '../../config/schema.js';
import type { Clock } from '../../core/ports/clock.js';
import type { ContainerPlatform, ServiceState } from '../../core/ports/container-platform.js';
import type { Prober } from '../../core/ports/prober.js';
import { assessService, type ServiceHealth } from './assess-service.js';
import { decideVerdict } from './decide-verdict.js';
import { refusalOf, toProbeSpec } from './probe-specs.js';
import type { ProbeCheck, StatusSnapshot } from './status-snapshot.js';

export type { ServiceHealth, ServiceHealthState, ServiceIssue } from './assess-service.js';
export type { ProbeCheck, StatusSnapshot } from './status-snapshot.js';

export interface CheckStatusDeps {
  readonly platform: ContainerPlatform;
  readonly prober: Prober;
  readonly clock: Clock;
}

/**
 * Lists the stack and runs every probe at the same time; neither failure hides the other (an
 * unreachable Docker still reports probes, a hanging probe still ends at its own timeout).
 */
export async function checkStatus(
  deps: CheckStatusDeps,
  env: EnvironmentConfig,
  envName: string,
): Promise<StatusSnapshot> {
  const checkedAt = deps.clock.now();
  // Probes first: each opens a connection and can send nothing before the handshake, while
  // the platform's requests go out at once on its kept-alive connections.
  const probing = env.probes.map((probe) => deps.prober.probe(toProbeSpec(probe)));
  const [listing, ...probed] = await Promise.allSettled([deps.platform.listServices(), ...probing]);
  const probes = env.probes.map((probe, index): ProbeCheck => {
    const result = probed[index];
    if (result?.status === 'fulfilled') {
      const configProblem = refusalOf(probe, result.value);
      return {
        ...result.value,
        severity: probe.severity,
        ...(configProblem !== undefined && { configProblem }),
      };
    }
    const detail = result === undefined ? 'not run' : messageOf(result.reason);
    const target = 'tcp' in probe ? probe.tcp : probe.url;
    return {
      name: probe.name,
      target,
      outcome: 'error',
      latencyMs: 0,
      detail,
      severity: probe.severity,
    };
  });
  const now = deps.clock.now();
  const listed = listing?.status === 'fulfilled' ? listing.value : undefined;
  const services = listed === undefined ? [] : assessConfigured(listed, env, now);
  const unconfigured = listed === undefined ? [] : unconfiguredNames(listed, env);
  const platformError = listing?.status === 'rejected' ? messageOf(listing.reason) : undefined;
  const { verdict, reasons } = decideVerdict(services, probes, platformError);
  return {
    environment: envName,
    verdict,
    checkedAt,
    tookMs: Math.max(0, now.getTime() - checkedAt.getTime()),
    services,
    unconfigured,
    probes,
    ...(platformError === undefined ? {} : { platformError }),
    reasons,
  };
}

/**
 * The environment is what `services` lists: a one-off job or a service being retired that the
 * operator left out on purpose must not turn the verdict (or the watcher) red.
 */
function assessConfigured(
  states: readonly ServiceState[],
  env: EnvironmentConfig,
  now: Date,
): ServiceHealth[] {
  const byName = new Map(states.map((state) => [state.name, state]));
  return env.services.map((name) =>
    assessService(name, byName.get(name), true, env.restartLoop, now),
  );
}

/** Services the stack holds that `services` does not list, by name, shown apart. */
function unconfiguredNames(states: readonly ServiceState[], env: EnvironmentConfig): string[] {
  const known = new Set(env.services);
  return states
    .map((state) => state.name)
    .filter((name) => !known.has(name))
    .sort((a, b) => a.localeCompare(b));
}

/** DependencyError messages are written for people (which host, what to check); keep them. */
function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
