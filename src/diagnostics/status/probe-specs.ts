import type { ProbeConfig } from '../../config/schema.js';
import type { ProbeSpec } from '../../core/ports/prober.js';

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
