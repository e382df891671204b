import type { Agent as HttpsAgent } from 'node:https';
import type { ProbeResult, ProbeSpec, Prober } from '../../core/ports/prober.js';
import { probeHttp } from './probe-http.js';
import { probeTcp } from './probe-tcp.js';

export interface ProberOptions {
  /**
   * Where HTTPS probes connect: a fresh connection with Node's default certificate checks when
   * absent; tests pass an agent that trusts their own self-signed certificate.
   */
  readonly httpsAgent?: HttpsAgent;
}

/**
 * HTTP probes on node:http / node:https, TCP probes on node:net. Every probe resolves within its
 * own timeout, never rejects, and describes what it saw in one line.
 */
export function createProber(options: ProberOptions = {}): Prober {
  return {
    async probe(spec: ProbeSpec): Promise<ProbeResult> {
      try {
        return spec.kind === 'http'
          ? await probeHttp(spec, options.httpsAgent)
          : await probeTcp(spec);
      } catch (error) {
        // A bug in the probe itself must still come back as a row, not take the status down.
        const target = spec.kind === 'http' ? spec.url : `${spec.host}:${spec.port}`;
        const detail = error instanceof Error ? error.message : String(error);
        return { name: spec.name, target, outcome: 'error', latencyMs: 0, detail };
      }
    },
  };
}
