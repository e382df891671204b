import type { EnvironmentConfig } from '../config/schema.js';
import type { ServiceState } from '../core/ports/container-platform.js';
import type { ProbeResult } from '../core/ports/prober.js';
import type { Baseline, Evidence, OperationStep } from '../core/requests/operation-request.js';
import { buildExcerpt } from '../diagnostics/logs/build-excerpt.js';
import type { LogExcerpt } from '../diagnostics/logs/log-excerpt.js';
import { logPatterns } from '../diagnostics/logs/log-patterns.js';
import { limitLogTime } from '../diagnostics/logs/limit-log-time.js';
import { readLogSource } from '../diagnostics/logs/read-log-source.js';
import { toProbeSpec } from '../diagnostics/status/probe-specs.js';
import type { OperationDeps } from './operation-deps.js';

export interface StepVerdict {
  readonly ok: boolean;
  readonly evidence: readonly Evidence[];
  /**
   * How the step was seen to work, for the audit line (`deployment completed, 1/1 running`):
   * on ECS the rollout ECS itself declared complete, everywhere the replicas counted.
   */
  readonly verifiedBy?: string;
}

// A fresh log is small; this keeps verification cheap even on a chatty service.
const LOG_BYTES = 8 * 1024 * 1024;
const BASELINE_WINDOW_MS = 5 * 60_000;
const MAX_KEYS = 100;
// Verification must finish: a logs connection the Engine keeps open is cut after this.
const LOG_SECONDS = 15;

const isStop = (step: OperationStep) => step.change.kind === 'scale' && step.change.replicas === 0;

function runProbes(deps: OperationDeps, env: EnvironmentConfig): Promise<ProbeResult[]> {
  return Promise.all(env.probes.map((p) => deps.prober.probe(toProbeSpec(p))));
}

/** The service's error lines since `since`, read from the state already in hand (no listing). */
async function errorsSince(
  deps: OperationDeps,
  env: EnvironmentConfig,
  environment: string,
  state: ServiceState,
  since: Date,
): Promise<LogExcerpt | undefined> {
  const platform = deps.platformFor(environment);
  const limited = limitLogTime(await platform.streamLogs(state, { since }), LOG_SECONDS * 1000);
  const excerpt = await buildExcerpt(readLogSource(limited.source, { maxBytes: LOG_BYTES }), {
    patterns: logPatterns(env.logs.patterns),
    maxBytes: LOG_BYTES,
    level: 'error',
  });
  return limited.timedOut() && excerpt.linesScanned === 0 ? undefined : excerpt;
}

/** Taken right before the change: which probes already fail, which errors the service already logs. */
export async function takeBaseline(
  deps: OperationDeps,
  env: EnvironmentConfig,
  environment: string,
  step: OperationStep,
  state: ServiceState,
): Promise<Baseline> {
  if (isStop(step)) return { failingProbes: [], errorKeys: [] };
  const now = deps.clock.now();
  const [probes, excerpt] = await Promise.all([
    runProbes(deps, env),
    errorsSince(deps, env, environment, state, new Date(now.getTime() - BASELINE_WINDOW_MS)),
  ]);
  return {
    failingProbes: probes.filter((p) => p.outcome !== 'ok').map((p) => p.name),
    errorKeys: (excerpt?.groups ?? []).slice(0, MAX_KEYS).map((g) => g.key),
  };
}

/**
 * The TAS runbook's checks after an update, once the change has converged: the new tasks stay
 * up through a settle window (no failed task since the start), the probes answer as expected,
 * and the fresh logs carry no new error lines. What was already broken before (the baseline) is a warning, not a failure
 * of this operation. A stopped service is only checked for being stopped.
 */
export async function verifyStep(
  deps: OperationDeps,
  env: EnvironmentConfig,
  environment: string,
  step: OperationStep,
  startedAt: Date,
): Promise<StepVerdict> {
  const evidence: Evidence[] = [];
  const fail = (text: string) => evidence.push({ text, tone: 'fail' });
  const warn = (text: string) => evidence.push({ text, tone: 'warn' });
  const good = (text: string) => evidence.push({ text, tone: 'ok' });
  if (!isStop(step)) await deps.sleep(deps.timings.settleMs);
  const current = await deps.operatorFor(environment).inspect(step.service);
  if (current === undefined)
    return {
      ok: false,
      evidence: [{ text: `${step.service} is gone from the platform`, tone: 'fail' }],
    };
  const replicas = `${step.service}: ${current.running}/${current.desired} running, image ${current.imageTag}`;
  if (isStop(step)) {
    (current.running === 0 ? good : fail)(replicas);
    return { ok: current.running === 0, evidence, verifiedBy: '0 running' };
  }
  (current.running === current.desired ? good : fail)(replicas);
  const deployment =
    env.platform === 'ecs' && current.update?.state === 'completed' ? 'deployment completed, ' : '';
  const verifiedBy = `${deployment}${current.running}/${current.desired} running`;

  const failedSince = current.tasks.filter(
    (t) =>
      t.createdAt.getTime() >= startedAt.getTime() - 1000 &&
      (t.state === 'failed' || t.state === 'rejected'),
  );
  if (failedSince.length > 0)
    fail(
      `${failedSince.length} new task(s) failed since the start: ${failedSince[0]?.error ?? failedSince[0]?.message ?? ''}`,
    );
  else
    good(
      `no new task failed during the ${Math.round(deps.timings.settleMs / 1000)}s settle window`,
    );

  const before = new Set(step.baseline?.failingProbes ?? []);
  for (const probe of await runProbes(deps, env)) {
    const line = `probe ${probe.name}: ${probe.detail} (${Math.round(probe.latencyMs)}ms)`;
    if (probe.outcome === 'ok') good(line);
    else if (before.has(probe.name)) warn(`${line}, failing before the change too`);
    else fail(`${line}, passing before the change`);
  }

  const excerpt = await errorsSince(
    deps,
    env,
    environment,
    current,
    new Date(startedAt.getTime() - 1000),
  );
  if (excerpt === undefined)
    warn(`the fresh logs of ${step.service} could not be read within ${LOG_SECONDS}s`);
  else {
    const known = new Set(step.baseline?.errorKeys ?? []);
    const fresh = excerpt.groups.filter((g) => !known.has(g.key));
    const old = excerpt.groups.filter((g) => known.has(g.key));
    const sample = (groups: typeof fresh) =>
      groups
        .slice(0, 2)
        .map((g) => `×${g.count} ${g.sample.slice(0, 120)}`)
        .join('; ');
    if (fresh.length > 0)
      fail(`${fresh.reduce((n, g) => n + g.count, 0)} new error line(s): ${sample(fresh)}`);
    if (old.length > 0) warn(`still logging errors seen before the change: ${sample(old)}`);
    if (fresh.length === 0 && old.length === 0)
      good(`no error lines in ${excerpt.linesScanned} new log lines`);
  }
  return { ok: !evidence.some((e) => e.tone === 'fail'), evidence, verifiedBy };
}
