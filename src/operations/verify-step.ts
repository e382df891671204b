import type { EnvironmentConfig } from '../config/schema.js';
import { buildExcerpt } from '../diagnostics/logs/build-excerpt.js';
import { logPatterns } from '../diagnostics/logs/log-patterns.js';
import { readLogSource } from '../diagnostics/logs/read-log-source.js';
import { toProbeSpec } from '../diagnostics/status/probe-specs.js';
import type { OperationDeps } from './operation-deps.js';
import type { OperationStep } from '../core/requests/operation-request.js';

export interface StepVerdict {
  readonly ok: boolean;
  readonly evidence: readonly string[];
}

// A fresh log is small; this keeps verification cheap even on a chatty service.
const FRESH_LOG_BYTES = 8 * 1024 * 1024;

/**
 * Runbook §6.3 after the change has converged: the new tasks stay up through a settle window
 * (no failed task since the start), the probes answer as expected, and the fresh logs carry no
 * error-pattern lines. A stopped service is only checked for being stopped.
 */
export async function verifyStep(
  deps: OperationDeps,
  env: EnvironmentConfig,
  environment: string,
  step: OperationStep,
  startedAt: Date,
): Promise<StepVerdict> {
  const evidence: string[] = [];
  let ok = true;
  const stopping = step.change.kind === 'scale' && step.change.replicas === 0;
  if (!stopping) await deps.sleep(deps.timings.settleMs);
  const current = await deps.operatorFor(environment).inspect(step.service);
  if (current === undefined) return { ok: false, evidence: [`${step.service} is gone from the platform`] };
  evidence.push(`${step.service}: ${current.running}/${current.desired} running, image ${current.imageTag}`);
  if (stopping) return { ok: current.running === 0, evidence };

  const failedSince = current.tasks.filter(
    (t) => t.createdAt.getTime() >= startedAt.getTime() - 1000 && (t.state === 'failed' || t.state === 'rejected'),
  );
  if (failedSince.length > 0) {
    ok = false;
    evidence.push(`${failedSince.length} new task(s) failed since the start: ${failedSince[0]?.error ?? failedSince[0]?.message ?? ''}`);
  } else {
    evidence.push(`no new task failed during the ${Math.round(deps.timings.settleMs / 1000)}s settle window`);
  }

  const probes = await Promise.all(env.probes.map((p) => deps.prober.probe(toProbeSpec(p))));
  for (const probe of probes) {
    if (probe.outcome !== 'ok') ok = false;
    evidence.push(`probe ${probe.name}: ${probe.outcome === 'ok' ? 'ok' : probe.outcome} ${probe.detail} (${Math.round(probe.latencyMs)}ms)`);
  }

  const platform = deps.platformFor(environment);
  const service = (await platform.listServices()).find((s) => s.name === step.service);
  if (service !== undefined) {
    const source = await platform.streamLogs(service, { since: new Date(startedAt.getTime() - 1000) });
    const excerpt = await buildExcerpt(readLogSource(source, { maxBytes: FRESH_LOG_BYTES }), {
      patterns: logPatterns(env.logs.patterns),
      maxBytes: FRESH_LOG_BYTES,
      level: 'error',
    });
    if (excerpt.matchedLines > 0) {
      ok = false;
      const top = excerpt.groups[0];
      evidence.push(`${excerpt.matchedLines} fresh error line(s)${top ? `, e.g. ×${top.count} ${top.sample.slice(0, 160)}` : ''}`);
    } else {
      evidence.push(`no fresh error lines in ${excerpt.linesScanned} new log lines`);
    }
  }
  return { ok, evidence };
}
