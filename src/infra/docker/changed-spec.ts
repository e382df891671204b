import type { ServiceChange } from '../../core/ports/service-operator.js';
import { sameImage } from '../../lib/same-image.js';

export type Spec = Record<string, unknown> & {
  TaskTemplate?: Record<string, unknown> & {
    ForceUpdate?: number;
    ContainerSpec?: Record<string, unknown>;
  };
  Mode?: { Replicated?: { Replicas?: number } };
};

const imageOf = (spec: Spec): string => {
  const image = spec.TaskTemplate?.ContainerSpec?.Image;
  return typeof image === 'string' ? image : '';
};

/**
 * Whether the spec already carries the change's marker, so sending it would change nothing or,
 * for a restart, restart twice: ForceUpdate at least the value planned, the replicas, the image
 * or the rollback's recorded target. A worker that lost the Engine's answer finds it here.
 */
export function alreadyThere(spec: Spec, change: ServiceChange): boolean {
  switch (change.kind) {
    case 'restart':
      return (
        change.forceUpdate !== undefined &&
        (spec.TaskTemplate?.ForceUpdate ?? 0) >= change.forceUpdate
      );
    case 'scale':
      return spec.Mode?.Replicated?.Replicas === change.replicas;
    case 'image':
      return sameImage(imageOf(spec), change.image);
    case 'rollback':
      return change.target !== undefined && sameImage(imageOf(spec), change.target.image);
  }
}

/**
 * The change applied to a copy of the current spec, as the CLI does it (cli/command/service).
 * A restart writes the ForceUpdate value it was planned with. A rollback is an update to the
 * image recorded when the card was shown, the one thing its card shows: never the Engine's
 * `rollback=previous` (a toggle, which a retry would undo, and which would restore whatever
 * else the previous spec held without anyone having seen it), and never the PreviousSpec as it
 * is at apply time, which our own first attempt may already have replaced.
 */
export function changedSpec(spec: Spec, change: ServiceChange): Spec {
  const next = structuredClone(spec);
  switch (change.kind) {
    case 'restart':
      next.TaskTemplate = {
        ...next.TaskTemplate,
        ForceUpdate: change.forceUpdate ?? (next.TaskTemplate?.ForceUpdate ?? 0) + 1,
      };
      return next;
    case 'scale':
      if (next.Mode?.Replicated === undefined)
        throw new Error('only replicated services can be scaled');
      next.Mode.Replicated.Replicas = change.replicas;
      return next;
    case 'image':
    case 'rollback': {
      const image = change.kind === 'image' ? change.image : change.target?.image;
      if (image === undefined || image === '')
        throw new Error('the rollback has no recorded target image; ask for it again');
      next.TaskTemplate = {
        ...next.TaskTemplate,
        ContainerSpec: { ...next.TaskTemplate?.ContainerSpec, Image: image },
      };
      return next;
    }
  }
}
