import type { ProbeConfig } from '../../config/schema.js';
import type { ProbeResult, ProbeSpec } from '../../core/ports/prober.js';

export type ProbeSeverity = ProbeConfig['severity'];

/** A configured probe → what the Prober runs (severity stays with the status check). */
export function toProbeSpec(probe: ProbeConfig): ProbeSpec {
  if ('tcp' in probe) {
    const colon = probe.tcp.lastIndexOf(':');
    return {
      kind: 'tcp',
      name: probe.name,
      host: probe.tcp.slice(0, colon),
      port: Number(probe.tcp.slice(colon + 1)),
      timeoutMs: probe.timeout,
    };
  }
  const status = probe.expect.status;
  return {
    kind: 'http',
    name: probe.name,
    url: probe.url,
    method: probe.method,
    headers: probe.headers,
    expectStatus: Array.isArray(status) ? status : [status],
    ...(probe.expect.json === undefined ? {} : { expectJson: probe.expect.json }),
    ...(probe.failureField === undefined ? {} : { failureField: probe.failureField }),
    timeoutMs: probe.timeout,
  };
}

/** Answers that mean the server is up but refused the check, not that anything is down. */
export const REFUSED_STATUSES: readonly number[] = [401, 403];

export const REFUSED_HINT = 'the check is not authorised — check its headers/credentials';

/**
 * Why the probe itself is wrong, when its answer says so: a 401/403, or one of the probe's
 * `misconfigured` statuses (whose `hint` then replaces the default one). The server answered,
 * so the system is up; the environment is at most DEGRADED and nobody is escalated for it.
 */
export function refusalOf(probe: ProbeConfig, result: ProbeResult): string | undefined {
  if (result.outcome === 'ok' || result.status === undefined) return undefined;
  const misconfigured = 'misconfigured' in probe ? probe.misconfigured : undefined;
  const listed = misconfigured?.status.includes(result.status) === true;
  if (!listed && !REFUSED_STATUSES.includes(result.status)) return undefined;
  return `${misconfigured?.hint ?? REFUSED_HINT} (got ${result.detail})`;
}
