import type { WatchProblem, WatchState } from '../core/ports/watch-state-store.js';
import { problemKey, type ProblemDiff } from './watch-problems.js';

/** The parts of the failing set on their way in or out, each with its count of checks. */
export type Pending = NonNullable<WatchState['pending']>;

/**
 * The confirmed failing set after one check, each part damped on its own: a part seen failing
 * (or recovered) against the confirmed set counts up in `pending` and moves only after `confirm`
 * checks in a row; a part agreeing again with the confirmed set is forgotten. A part still
 * failing takes the newest text.
 */
export function dampParts(
  confirmed: readonly WatchProblem[],
  observed: readonly WatchProblem[],
  pending: Pending,
  confirm: number,
): ProblemDiff & { readonly problems: readonly WatchProblem[]; readonly pending: Pending } {
  const seen = new Map(observed.map((p) => [problemKey(p), p]));
  const was = new Set(confirmed.map(problemKey));
  const next: Record<string, Pending[string]> = {};
  const added: WatchProblem[] = [];
  const resolved: WatchProblem[] = [];
  const still: WatchProblem[] = [];
  for (const problem of confirmed) {
    const key = problemKey(problem);
    const now = seen.get(key);
    if (now !== undefined) {
      still.push(now);
      continue;
    }
    const checks = pending[key]?.failing === false ? pending[key].checks + 1 : 1;
    if (checks >= confirm) resolved.push(problem);
    else {
      still.push(problem);
      next[key] = { failing: false, checks, problem };
    }
  }
  for (const problem of observed) {
    const key = problemKey(problem);
    if (was.has(key)) continue;
    const checks = pending[key]?.failing === true ? pending[key].checks + 1 : 1;
    if (checks >= confirm) added.push(problem);
    else next[key] = { failing: true, checks, problem };
  }
  return { added, still, resolved, problems: [...still, ...added], pending: next };
}
