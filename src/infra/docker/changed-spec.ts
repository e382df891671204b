import type { ServiceChange } from '../../core/ports/service-operator.js';

export type Spec = Record<string, unknown> & {
  TaskTemplate?: Record<string, unknown> & {
    ForceUpdate?: number;
    ContainerSpec?: Record<string, unknown>;
  };
  Mode?: { Replicated?: { Replicas?: number } };
};

/**
 * The change applied to a copy of the current spec, as the CLI does it (cli/command/service).
 * A rollback takes only the previous spec's image, the one thing its card shows: the Engine's
 * `rollback=previous` would restore whatever else the previous spec held (env, mounts, a
 * repository) without anyone having seen it.
 */
export function changedSpec(spec: Spec, change: ServiceChange, previous: Spec | undefined): Spec {
  const next = structuredClone(spec);
  switch (change.kind) {
    case 'restart':
      next.TaskTemplate = {
        ...next.TaskTemplate,
        ForceUpdate: (next.TaskTemplate?.ForceUpdate ?? 0) + 1,
      };
      return next;
    case 'scale':
      if (next.Mode?.Replicated === undefined)
        throw new Error('only replicated services can be scaled');
      next.Mode.Replicated.Replicas = change.replicas;
      return next;
    case 'image':
      next.TaskTemplate = {
        ...next.TaskTemplate,
        ContainerSpec: { ...next.TaskTemplate?.ContainerSpec, Image: change.image },
      };
      return next;
    case 'rollback': {
      const image = previous?.TaskTemplate?.ContainerSpec?.Image;
      if (typeof image !== 'string' || image === '')
        throw new Error('the service has no previous image to roll back to');
      next.TaskTemplate = {
        ...next.TaskTemplate,
        ContainerSpec: { ...next.TaskTemplate?.ContainerSpec, Image: image },
      };
      return next;
    }
  }
}
