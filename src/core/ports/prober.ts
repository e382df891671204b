/**
 * One reachability check (HTTP or TCP). The core describes what to check; infra does the I/O.
 * Deliberately left out: retries (a status check reports what it saw once), TLS options.
 */
export interface Prober {
  probe(spec: ProbeSpec): Promise<ProbeResult>;
}

export type ProbeSpec = HttpProbeSpec | TcpProbeSpec;

export interface HttpProbeSpec {
  readonly kind: 'http';
  readonly name: string;
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly expectStatus: readonly number[];
  /** A JSON subset the body must contain. */
  readonly expectJson?: unknown;
  /** Body field that names what failed (tripl: `component`). */
  readonly failureField?: string;
  readonly timeoutMs: number;
}

export interface TcpProbeSpec {
  readonly kind: 'tcp';
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}

export type ProbeOutcome = 'ok' | 'fail' | 'timeout' | 'error';

export interface ProbeResult {
  readonly name: string;
  readonly target: string;
  readonly outcome: ProbeOutcome;
  readonly latencyMs: number;
  readonly status?: number;
  /** One line a human can act on: `503 {"status":"UNAVAILABLE"}`, `ECONNREFUSED`, `component=database`. */
  readonly detail: string;
  /** The first part of the body (redacted later with everything else), for bundles. */
  readonly body?: string;
}
