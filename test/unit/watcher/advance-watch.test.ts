import { describe, expect, it } from 'vitest';
import type { WatchProblem, WatchState } from '../../../src/core/ports/watch-state-store.js';
import type { Verdict } from '../../../src/core/reply.js';
import { advanceWatch } from '../../../src/watcher/advance-watch.js';
import type { WatchEvent, WatchPolicy } from '../../../src/watcher/watch-event.js';

const START = Date.parse('2026-11-22T10:00:00.000Z');
const EVERY = 60_000;
const at = (check: number) => new Date(START + check * EVERY);
const iso = (check: number) => at(check).toISOString();

const down: WatchProblem[] = [
  { kind: 'probe', name: 'readiness', problem: '503 {"status":"UNAVAILABLE"}' },
];
const degraded: WatchProblem[] = [{ kind: 'service', name: 'frontend', problem: '1 of 2 running' }];
const problemsOf: Record<Verdict, WatchProblem[]> = { OK: [], DOWN: down, DEGRADED: degraded };

/** Feeds one verdict per minute through the state machine, keeping every event per check. */
function run(
  verdicts: readonly Verdict[],
  policy: WatchPolicy = { confirm: 2, escalateAfter: 3 },
  from?: WatchState,
) {
  let state = from;
  const events: { check: number; event: WatchEvent }[] = [];
  verdicts.forEach((verdict, check) => {
    const next = advanceWatch(
      'prod',
      state,
      { verdict, problems: problemsOf[verdict], checkedAt: at(check) },
      policy,
    );
    if (next.stale) throw new Error(`check ${check} was stale`);
    state = next.state;
    for (const event of next.events) events.push({ check, event });
  });
  if (state === undefined) throw new Error('no checks');
  return { state, events, kinds: events.map(({ check, event }) => `${check}:${event.kind}`) };
}

describe('advanceWatch', () => {
  describe('when an environment stays OK', () => {
    it('posts nothing and keeps no failure time', () => {
      const { state, events } = run(['OK', 'OK', 'OK']);
      expect(events).toEqual([]);
      expect(state).toMatchObject({
        verdict: 'OK',
        consecutiveFailures: 0,
        escalations: 0,
        checks: 3,
        lastVerdict: 'OK',
      });
      expect(state.firstFailureAt).toBeUndefined();
    });
  });

  describe('when it breaks', () => {
    it('opens an incident once the new state held for `confirm` checks, saying what is failing', () => {
      const { events, state } = run(['OK', 'DOWN', 'DOWN', 'DOWN']);
      const incident = { id: `prod-${at(1).getTime()}`, openedAt: iso(1), atStart: false };
      expect(events.filter((e) => e.event.kind === 'open')).toEqual([
        {
          check: 2,
          event: {
            kind: 'open',
            incident,
            to: 'DOWN',
            failing: down,
            confirmedBy: 2,
            firstFailureAt: iso(1),
          },
        },
      ]);
      expect(state).toMatchObject({
        verdict: 'DOWN',
        verdictSince: iso(1),
        problems: down,
        consecutiveFailures: 3,
        firstFailureAt: iso(1),
        incident,
      });
      expect(state.candidate).toBeUndefined();
    });

    it('says the incident was found at start when no check was ever OK', () => {
      const { events } = run(['DOWN', 'DOWN']);
      expect(events[0]?.event).toMatchObject({
        kind: 'open',
        incident: { openedAt: iso(0), atStart: true },
      });
    });

    it('keeps the unconfirmed state as a candidate with its count', () => {
      const { state, events } = run(['OK', 'DOWN']);
      expect(events).toEqual([]);
      expect(state.verdict).toBe('OK');
      expect(state.candidate).toEqual({ verdict: 'DOWN', checks: 1, since: iso(1) });
      expect(state.firstFailureAt).toBe(iso(1));
    });

    it('posts at the first check when confirm is 1', () => {
      const { kinds } = run(['OK', 'DEGRADED'], { confirm: 1, escalateAfter: 5 });
      expect(kinds).toEqual(['1:open']);
    });
  });

  describe('when it flaps', () => {
    it('posts nothing while no state holds for `confirm` checks', () => {
      const { events, state } = run(['OK', 'DOWN', 'OK', 'DOWN', 'OK', 'DEGRADED', 'DOWN', 'OK'], {
        confirm: 2,
        escalateAfter: 3,
      });
      expect(events).toEqual([]);
      expect(state.verdict).toBe('OK');
    });

    it('forgets a failed check that never got confirmed once an OK one follows', () => {
      const { state } = run(['DOWN', 'OK']);
      expect(state.firstFailureAt).toBeUndefined();
      expect(state.candidate).toBeUndefined();
    });

    it('restarts the count when the candidate changes', () => {
      const { state } = run(['DOWN', 'DEGRADED']);
      expect(state.candidate).toEqual({ verdict: 'DEGRADED', checks: 1, since: iso(1) });
    });

    it('keeps the problem start while a confirmed DOWN blinks OK once', () => {
      const { state, kinds } = run(['DOWN', 'DOWN', 'OK', 'DOWN']);
      expect(kinds).toEqual(['1:open']);
      expect(state).toMatchObject({
        verdict: 'DOWN',
        firstFailureAt: iso(0),
        consecutiveFailures: 1,
      });
    });
  });

  describe('when it keeps failing', () => {
    it('escalates once after `escalateAfter` failed checks in a row, after the change', () => {
      const { kinds, events, state } = run(['DOWN', 'DOWN', 'DOWN', 'DOWN', 'DOWN', 'DOWN']);
      expect(kinds).toEqual(['1:open', '2:escalate']);
      expect(events[1]?.event).toEqual({
        kind: 'escalate',
        consecutiveFailures: 3,
        firstFailureAt: iso(0),
        again: false,
        incident: { id: `prod-${at(0).getTime()}`, openedAt: iso(0), atStart: true },
      });
      expect(state).toMatchObject({ escalations: 1, lastEscalationAt: iso(2) });
    });

    it('counts failed checks of any failing verdict as one run', () => {
      const { kinds } = run(['DEGRADED', 'DOWN', 'DOWN']);
      expect(kinds).toEqual(['2:open', '2:escalate']);
    });

    it('does not escalate again when the run of failures breaks and resumes before recovery', () => {
      const { kinds } = run(['DOWN', 'DOWN', 'DOWN', 'OK', 'DOWN', 'DOWN', 'DOWN', 'DOWN']);
      expect(kinds).toEqual(['1:open', '2:escalate']);
    });

    it('escalates again after `reescalateAfter` while still failing', () => {
      const policy = { confirm: 2, escalateAfter: 3, reescalateAfterMs: 3 * EVERY };
      const { kinds, events } = run(
        ['DOWN', 'DOWN', 'DOWN', 'DOWN', 'DOWN', 'DOWN', 'DOWN', 'DOWN', 'DOWN'],
        policy,
      );
      expect(kinds).toEqual(['1:open', '2:escalate', '5:escalate', '8:escalate']);
      expect(
        events
          .filter((e) => e.event.kind === 'escalate')
          .map((e) => e.event.kind === 'escalate' && e.event.again),
      ).toEqual([false, true, true]);
    });

    it('escalates after a failure run even before the state is confirmed when escalateAfter is smaller', () => {
      const { kinds } = run(['DOWN', 'DOWN'], { confirm: 3, escalateAfter: 1 });
      expect(kinds).toEqual(['0:escalate']);
    });
  });

  describe('when it recovers', () => {
    it('posts one recovery once OK is confirmed, with what recovered and when it began', () => {
      const { events, state } = run(['DOWN', 'DOWN', 'DOWN', 'OK', 'OK', 'OK']);
      expect(events.map((e) => `${e.check}:${e.event.kind}`)).toEqual([
        '1:open',
        '2:escalate',
        '4:recovery',
      ]);
      expect(events[2]?.event).toEqual({
        kind: 'recovery',
        incident: { id: `prod-${at(0).getTime()}`, openedAt: iso(0), atStart: true },
        from: 'DOWN',
        since: iso(3),
        confirmedBy: 2,
        resolved: down,
        problemStartedAt: iso(0),
        escalated: true,
      });
      expect(state).toMatchObject({
        verdict: 'OK',
        consecutiveFailures: 0,
        escalations: 0,
        problems: [],
      });
      expect(state.firstFailureAt).toBeUndefined();
      expect(state.lastEscalationAt).toBeUndefined();
      expect(state.incident).toBeUndefined();
    });

    it('escalates again for a new problem after a recovery', () => {
      const { kinds } = run(['DOWN', 'DOWN', 'DOWN', 'OK', 'OK', 'DOWN', 'DOWN', 'DOWN']);
      expect(kinds).toEqual(['1:open', '2:escalate', '4:recovery', '6:open', '7:escalate']);
    });

    it('reports a move between failing states as a change, not a recovery', () => {
      const { events } = run(['DOWN', 'DOWN', 'DEGRADED', 'DEGRADED']);
      const change = events.find((e) => e.check === 3)?.event;
      expect(change).toMatchObject({
        kind: 'change',
        from: 'DOWN',
        to: 'DEGRADED',
        added: degraded,
        resolved: down,
        still: [],
      });
    });
  });

  describe('when the failing set changes during an incident', () => {
    const frontend: WatchProblem = { kind: 'service', name: 'frontend', problem: 'scaled to 0' };
    const [readiness] = down;
    const both: WatchProblem[] = [...down, frontend];
    /** Feeds one check per minute with its own problems, all of them DOWN unless empty. */
    function steps(checks: readonly (readonly WatchProblem[])[], confirm = 2) {
      let state: WatchState | undefined;
      const events: { check: number; event: WatchEvent }[] = [];
      checks.forEach((problems, check) => {
        const next = advanceWatch(
          'prod',
          state,
          { verdict: problems.length === 0 ? 'OK' : 'DOWN', problems, checkedAt: at(check) },
          { confirm, escalateAfter: 100 },
        );
        if (next.stale) throw new Error('stale');
        state = next.state;
        for (const event of next.events) events.push({ check, event });
      });
      return { state: state!, events, kinds: events.map((e) => `${e.check}:${e.event.kind}`) };
    }

    it('posts one change when a second part has failed for `confirm` checks, and one when it recovers', () => {
      const { events, kinds, state } = steps([[], down, down, both, both, both, down, down, down]);
      expect(kinds).toEqual(['2:open', '4:change', '7:change']);
      const incident = { id: `prod-${at(1).getTime()}`, openedAt: iso(1), atStart: false };
      expect(events[1]?.event).toEqual({
        kind: 'change',
        incident,
        from: 'DOWN',
        to: 'DOWN',
        at: iso(4),
        added: [frontend],
        still: down,
        resolved: [],
      });
      expect(events[2]?.event).toMatchObject({
        kind: 'change',
        incident,
        added: [],
        still: down,
        resolved: [frontend],
      });
      expect(state.problems).toEqual(down);
      expect(state.pending).toBeUndefined();
    });

    it('posts nothing for a part that fails or recovers for fewer than `confirm` checks', () => {
      const { kinds, state } = steps([down, down, both, down, both, down, down], 2);
      expect(kinds).toEqual(['1:open']);
      expect(state.problems).toEqual(down);
      const blinkOff = steps([both, both, down, both, down, both], 2);
      expect(blinkOff.kinds).toEqual(['1:open']);
      expect(blinkOff.state.problems.map((p) => p.name)).toEqual([readiness?.name, 'frontend']);
    });

    it('damps each part with `confirm` 3 as well', () => {
      const { kinds } = steps([down, down, down, both, both, both, both], 3);
      expect(kinds).toEqual(['2:open', '5:change']);
    });

    it('closes the incident once OK is confirmed, with everything that was failing', () => {
      const { events, kinds, state } = steps([down, down, both, both, [], []]);
      expect(kinds).toEqual(['1:open', '3:change', '5:recovery']);
      expect(events[2]?.event).toMatchObject({
        kind: 'recovery',
        incident: { openedAt: iso(0) },
        since: iso(4),
        resolved: both,
      });
      expect(state.incident).toBeUndefined();
    });

    it('opens a new incident after a recovery', () => {
      const { events } = steps([down, down, [], [], down, down]);
      const opened = events.filter((e) => e.event.kind === 'open').map((e) => e.event);
      expect(opened).toHaveLength(2);
      expect(opened[1]).toMatchObject({ incident: { openedAt: iso(4), atStart: false } });
    });
  });

  describe('when the stored state is failing but has no incident', () => {
    it('opens the incident as found at start, once', () => {
      const stored: WatchState = {
        environment: 'prod',
        verdict: 'DOWN',
        verdictSince: iso(0),
        problems: down,
        consecutiveFailures: 5,
        firstFailureAt: iso(0),
        escalations: 1,
        checks: 5,
      };
      const { events, kinds } = run(['DOWN', 'DOWN', 'DOWN'], undefined, stored);
      expect(kinds).toEqual(['0:open']);
      expect(events[0]?.event).toMatchObject({
        kind: 'open',
        incident: { openedAt: iso(0), atStart: true },
        failing: down,
      });
    });
  });

  describe('when two ticks overlap', () => {
    it('ignores a check older than the newest one applied', () => {
      const { state } = run(['OK', 'DOWN']);
      expect(
        advanceWatch(
          'prod',
          state,
          { verdict: 'DOWN', problems: down, checkedAt: at(1) },
          { confirm: 2, escalateAfter: 3 },
        ),
      ).toEqual({ stale: true });
      expect(
        advanceWatch(
          'prod',
          state,
          { verdict: 'DOWN', problems: down, checkedAt: at(0) },
          { confirm: 2, escalateAfter: 3 },
        ),
      ).toEqual({ stale: true });
    });
  });
});
