import type {
  IncidentThread,
  IncidentThreadStore,
} from '../../../src/core/ports/watch-state-store.js';

/** Incident threads in a map: one entry per environment and incident, one thread per platform. */
export function createMemoryIncidentThreads(): IncidentThreadStore {
  const incidents = new Map<string, Map<string, string>>();
  const key = (environment: string, incidentId: string) => `${environment}:${incidentId}`;
  return {
    get(environment, incidentId) {
      const threads = incidents.get(key(environment, incidentId)) ?? new Map<string, string>();
      return Promise.resolve(
        Object.fromEntries(
          [...threads].map(([platform, json]) => [platform, JSON.parse(json) as IncidentThread]),
        ),
      );
    },
    record(environment, incidentId, platform, thread) {
      const threads = incidents.get(key(environment, incidentId)) ?? new Map<string, string>();
      threads.set(platform, JSON.stringify(thread));
      incidents.set(key(environment, incidentId), threads);
      return Promise.resolve();
    },
  };
}
