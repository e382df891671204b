import type { WatchProblem } from '../core/ports/watch-state-store.js';
import type { StatusSnapshot } from '../diagnostics/status/check-status.js';

/** What a status check found failing, one entry per service, probe or the platform. */
export function watchProblems(snapshot: StatusSnapshot): WatchProblem[] {
  const problems: WatchProblem[] = [];
  if (snapshot.platformError !== undefined)
    problems.push({ kind: 'platform', name: 'docker', problem: snapshot.platformError });
  for (const service of snapshot.services) {
    if (service.health !== 'ok')
      problems.push({ kind: 'service', name: service.name, problem: service.problem });
  }
  for (const probe of snapshot.probes) {
    // A probe the server refuses as misconfigured is the bot's configuration, not an outage:
    // `/tas status` shows it as a warning; the watcher neither posts nor escalates on it.
    if (probe.outcome !== 'ok' && probe.configProblem === undefined)
      problems.push({ kind: 'probe', name: probe.name, problem: probe.detail });
  }
  return problems;
}

/** The same service, probe or platform in two lists. */
export const problemKey = (problem: WatchProblem): string => `${problem.kind}:${problem.name}`;

export interface ProblemDiff {
  readonly added: readonly WatchProblem[];
  readonly still: readonly WatchProblem[];
  readonly resolved: readonly WatchProblem[];
}

/** `after` against `before`: newly failing, still failing (with the newer text), no longer failing. */
export function diffProblems(
  before: readonly WatchProblem[],
  after: readonly WatchProblem[],
): ProblemDiff {
  const was = new Set(before.map(problemKey));
  const is = new Set(after.map(problemKey));
  return {
    added: after.filter((p) => !was.has(problemKey(p))),
    still: after.filter((p) => was.has(problemKey(p))),
    resolved: before.filter((p) => !is.has(problemKey(p))),
  };
}
