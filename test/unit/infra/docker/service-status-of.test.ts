import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EngineService, EngineTask } from '../../../../src/infra/docker/engine-types.js';
import { serviceStatusOf } from '../../../../src/infra/docker/service-status-of.js';
import { toServiceState } from '../../../../src/infra/docker/to-service-state.js';
import { newestFirst, toTaskSummary } from '../../../../src/infra/docker/to-task-summary.js';

/**
 * Real answers of Docker Engine 20.10.24 (single-node swarm), each pair read at one instant
 * (the services read before and after the tasks agreed): `GET /services?status=true` and
 * `GET /tasks` by the stack's namespace label, unedited.
 */
const CAPTURES = {
  // The fixture stack: replicated services, one scaled to 0, one in a restart loop.
  'the tasfix stack': 'swarm-tasfix.json',
  // A global service; a replicated service just scaled 2 → 1 (its old task still running); a
  // replicated job re-run (`service update --force`) with two tasks of the new run running; a
  // global job done.
  'jobs while they run': 'swarm-jobs-running.json',
  // The same once the re-run finished: the tasks of the first run no longer count.
  'jobs once done': 'swarm-jobs-done.json',
  // A global job whose task still runs: desired complete, not complete yet.
  'a global job running': 'swarm-global-job-running.json',
} as const;

interface Capture {
  readonly services: readonly EngineService[];
  readonly tasks: readonly EngineTask[];
}

function capture(file: string): Capture {
  const url = new URL(`../../../fixtures/engine/${file}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Capture;
}

const tasksOf = (c: Capture, service: EngineService) =>
  c.tasks.filter((task) => task.ServiceID === service.ID);

describe('serviceStatusOf', () => {
  for (const [what, file] of Object.entries(CAPTURES)) {
    describe(`on ${what}, as the Engine answered`, () => {
      const answered = capture(file);

      it('counts running, desired and completed tasks exactly as the Engine did', () => {
        const counted = answered.services.map((service) => [
          service.Spec?.Name,
          serviceStatusOf(service, tasksOf(answered, service)),
        ]);

        expect(counted).toEqual(answered.services.map((s) => [s.Spec?.Name, s.ServiceStatus]));
      });

      it('gives every service the state the Engine’s own counts gave it', () => {
        const stateOf = (service: EngineService) => {
          const tasks = tasksOf(answered, service).map(toTaskSummary).sort(newestFirst);
          return toServiceState(service, service.Spec?.Name ?? '', tasks);
        };
        const counted = answered.services.map((service) =>
          stateOf({
            ...service,
            ServiceStatus: serviceStatusOf(service, tasksOf(answered, service)),
          }),
        );

        expect(counted).toEqual(answered.services.map(stateOf));
      });
    });
  }

  it('covers every mode: replicated, global, replicated job and global job', () => {
    const modes = new Set(
      Object.values(CAPTURES).flatMap((file) =>
        capture(file).services.flatMap((s) => Object.keys(s.Spec?.Mode ?? {})),
      ),
    );

    expect([...modes].sort()).toEqual(['Global', 'GlobalJob', 'Replicated', 'ReplicatedJob']);
  });
});
