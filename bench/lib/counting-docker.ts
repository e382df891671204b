import { Agent, type ClientRequest } from 'node:http';
import type Docker from 'dockerode';
import type { ProbeResult, ProbeSpec, Prober } from '../../src/core/ports/prober.js';

export interface CallCounter {
  /** `GET /services`, `GET /tasks`: one entry per HTTP request, in order. */
  readonly calls: readonly string[];
  reset(): void;
}

/**
 * Counts Engine API requests at the HTTP level, on the client's kept-alive agent: every request
 * to the Engine goes through it once, whether dockerode's (`modem.dial`) or the listing's plain
 * `node:http` reads on the same agent (src/infra/docker/engine-reader-of.ts). Counting at
 * `modem.dial` alone missed the latter and counted a status as no Engine call at all. Wraps the
 * given client's agent in place.
 */
export function countDockerCalls(docker: Docker): CallCounter {
  const agent = (docker.modem as { agent?: unknown }).agent;
  if (!(agent instanceof Agent)) throw new Error('countDockerCalls: the client has no http.Agent');
  const counted = agent as Agent & { addRequest(req: ClientRequest, options: object): void };
  const addRequest = counted.addRequest.bind(counted);
  let calls: string[] = [];
  counted.addRequest = (req, options) => {
    calls.push(`${req.method} ${req.path.split('?')[0] ?? ''}`);
    addRequest(req, options);
  };
  return {
    get calls() {
      return calls;
    },
    reset() {
      calls = [];
    },
  };
}

/** A prober that counts the probes it runs before passing them on. */
export function countingProber(inner: Prober): { prober: Prober; count(): number; reset(): void } {
  let probes = 0;
  return {
    prober: {
      probe(spec: ProbeSpec): Promise<ProbeResult> {
        probes += 1;
        return inner.probe(spec);
      },
    },
    count: () => probes,
    reset: () => {
      probes = 0;
    },
  };
}
