import type { OwnService } from './socket-proxy-self.js';
import { refuseSpec, type Spec, type SpecRules } from './socket-proxy-spec.js';

/** The parts of `GET /services/{id}` an update decision reads. */
export interface InspectedService {
  ID?: string;
  Version?: { Index?: number };
  Spec?: Spec;
}

export type UpdateDecision =
  | { readonly ok: true; readonly id: string; readonly version: number }
  | { readonly ok: false; readonly status: 403 | 500; readonly reason: string };

/**
 * Whether `next` may replace the inspected service's spec, and where it then goes: the ID and
 * version that were inspected, so what was checked is what the Engine replaces.
 */
export function decideUpdate(
  inspected: InspectedService,
  next: Spec,
  query: { readonly version: number },
  rules: SpecRules & { readonly ownService: OwnService },
): UpdateDecision {
  const spec = inspected.Spec ?? {};
  const id = inspected.ID ?? '';
  const name = String(spec.Name);
  if (rules.ownService.ids.includes(id) || rules.ownService.names.includes(name))
    return { ok: false, status: 403, reason: `service ${name} runs this proxy` };
  const why = refuseSpec(spec, next, rules);
  if (why !== undefined) return { ok: false, status: 403, reason: why };
  const version = inspected.Version?.Index;
  if (version !== query.version) {
    // The Engine's own words for a stale version, so clients retry as they do with the Engine.
    const at = String(version);
    return {
      ok: false,
      status: 500,
      reason: `update out of sequence (the service is at version ${at})`,
    };
  }
  return { ok: true, id, version };
}
