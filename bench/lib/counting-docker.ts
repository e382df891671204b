import type Docker from 'dockerode';
import type { ProbeResult, ProbeSpec, Prober } from '../../src/core/ports/prober.js';

export interface CallCounter {
  /** `GET /services`, `GET /tasks`: one entry per HTTP request, in order. */
  readonly calls: readonly string[];
  reset(): void;
}

/**
 * Counts Engine API requests at the HTTP level: every dockerode method ends in one
 * `modem.dial`, which sends one request. Wraps the given client in place.
 */
export function countDockerCalls(docker: Docker): CallCounter {
  const modem = docker.modem;
  const dial = modem.dial.bind(modem);
  let calls: string[] = [];
  modem.dial = (options, callback) => {
    calls.push(`${options.method ?? 'GET'} ${options.path.split('?')[0] ?? ''}`);
    dial(options, callback);
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
