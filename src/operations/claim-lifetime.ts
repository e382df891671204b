import type { EnvironmentConfig } from '../config/schema.js';
import type { OperationRequest } from '../core/requests/operation-request.js';
import type { VerifyTimings } from './operation-deps.js';

/** Engine calls a step makes outside its convergence wait: look, apply, inspect, list. */
const ENGINE_CALLS = 4;
/** Verification reads the fresh logs for at most this long (a stream the Engine holds open). */
const LOG_READ_MS = 15_000;
/** The job's pickup and the backoff between its retries (2 s, 4 s, 8 s), with room to spare. */
const QUEUE_MARGIN_MS = 60_000;

/**
 * How long a request's service claims may live: until the request expires (it may be approved
 * at its last instant) plus the longest its operation can then run. A step runs within the
 * worker's own deadlines: the convergence timeout, the settle window, the checks before and
 * after the change (the probes in parallel, each within its timeout, and a log read) and a few
 * Engine calls, each within the environment's platform timeout; the steps run one after the
 * other. The claim is freed the moment the request finishes; this lapse only frees a service
 * whose request nobody will ever finish (its job lost), instead of blocking it for good.
 */
export function claimLifetimeMs(
  env: EnvironmentConfig,
  timings: VerifyTimings,
  request: OperationRequest,
  now: Date,
): number {
  const slowestProbe = Math.max(0, ...env.probes.map((probe) => probe.timeout));
  const checks = 2 * Math.max(LOG_READ_MS, slowestProbe);
  const platformTimeout = env.platform === 'ecs' ? (env.ecs?.timeout ?? 0) : env.docker.timeout;
  const step =
    timings.convergeTimeoutMs + timings.settleMs + checks + ENGINE_CALLS * platformTimeout;
  const untilExpiry = Math.max(0, Date.parse(request.expiresAt) - now.getTime());
  return untilExpiry + request.steps.length * step + QUEUE_MARGIN_MS;
}
