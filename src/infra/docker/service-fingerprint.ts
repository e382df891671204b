import { createHash } from 'node:crypto';

/**
 * What approvers judged a change by, as a short digest: image, replica count and update
 * config. Not the Engine's Version.Index, which moves on every internal state change.
 */
export function serviceFingerprint(spec: {
  readonly TaskTemplate?: { readonly ContainerSpec?: { readonly Image?: string } };
  readonly Mode?: unknown;
  readonly UpdateConfig?: unknown;
}): string {
  const material = JSON.stringify([
    spec.TaskTemplate?.ContainerSpec?.Image ?? '',
    spec.Mode ?? {},
    spec.UpdateConfig ?? {},
  ]);
  return createHash('sha256').update(material).digest('hex').slice(0, 16);
}
