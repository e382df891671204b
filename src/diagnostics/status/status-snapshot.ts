import type { ProbeResult } from '../../core/ports/prober.js';
import type { Verdict } from '../../core/reply.js';
import type { ServiceHealth } from './assess-service.js';
import type { ProbeSeverity } from './probe-specs.js';

/** A probe's result plus how much its failure counts (`down` or `degraded`). */
export interface ProbeCheck extends ProbeResult {
  readonly severity: ProbeSeverity;
  /**
   * Set when the answer means the probe itself is wrong (the probe's `misconfigured` statuses,
   * e.g. Toucan's 403 to a request without its User-Agent): a problem of the bot's config,
   * shown as a warning and left out of the verdict, since it says nothing about an outage.
   */
  readonly configProblem?: string;
}

/** Everything one status check saw; `data` of the status reply and input to the watcher. */
export interface StatusSnapshot {
  readonly environment: string;
  readonly verdict: Verdict;
  readonly checkedAt: Date;
  readonly tookMs: number;
  /** The environment's `services`, in that order; only these count for the verdict. */
  readonly services: readonly ServiceHealth[];
  /**
   * Services found in the stack that `services` does not list, sorted; never judged. Always
   * set by a check; optional so snapshots written before it existed still read.
   */
  readonly unconfigured?: readonly string[];
  readonly probes: readonly ProbeCheck[];
  /** Set when the platform could not be listed; `services` is then empty. */
  readonly platformError?: string;
  /** Short human reasons for the verdict, most important first; empty when OK. */
  readonly reasons: readonly string[];
}
