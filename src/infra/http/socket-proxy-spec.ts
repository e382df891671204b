export interface SpecRules {
  /** Service name prefixes that may be updated (`prod_`); `['*']`: any service; empty: none. */
  readonly updatePrefixes: readonly string[];
  /** Let an update switch to another image repository, not only another tag. */
  readonly allowRepositoryChange?: boolean;
}

type Json = Record<string, unknown>;
export interface Spec {
  Name?: unknown;
  TaskTemplate?: { ForceUpdate?: unknown; ContainerSpec?: { Image?: unknown } };
  Mode?: { Replicated?: { Replicas?: unknown } };
}

/** `registry:5000/team/app:5.15@sha256:…` → `registry:5000/team/app`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? '';
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Json;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, canonical(object[key])]),
  );
}

/** The spec without the three fields the bot changes. */
function withoutBotFields(spec: Spec): unknown {
  const copy = structuredClone(spec);
  if (copy.TaskTemplate) {
    delete copy.TaskTemplate.ForceUpdate;
    if (copy.TaskTemplate.ContainerSpec) delete copy.TaskTemplate.ContainerSpec.Image;
  }
  if (copy.Mode?.Replicated) delete copy.Mode.Replicated.Replicas;
  return canonical(copy);
}

const isCount = (value: unknown) =>
  value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);

/** Whether `*` or one of the prefixes admits the service name. */
export function updatableName(name: string, rules: Pick<SpecRules, 'updatePrefixes'>): boolean {
  return rules.updatePrefixes.some((prefix) => prefix === '*' || name.startsWith(prefix));
}

/**
 * Why `next` may not replace `current`, or undefined when it changes only what the bot
 * changes: ForceUpdate (restart), the replica count (scale, stop, start) or the image tag
 * (rollback to a tag). The comparison covers the whole object, so any key the Engine's decoder
 * would read that `current` does not hold (another spelling of a field name, `Env: []`) is a
 * change too.
 */
export function refuseSpec(current: Spec, next: Spec, rules: SpecRules): string | undefined {
  const name = typeof current.Name === 'string' ? current.Name : '';
  if (!updatableName(name, rules)) {
    const allowed = rules.updatePrefixes.length > 0 ? rules.updatePrefixes.join(', ') : 'none';
    return `service ${name} is outside the allowed prefixes (${allowed})`;
  }
  const force = next.TaskTemplate?.ForceUpdate;
  const replicas = next.Mode?.Replicated?.Replicas;
  if (!isCount(force) || !isCount(replicas))
    return 'ForceUpdate and Replicas must be non-negative integers';
  const before = current.TaskTemplate?.ContainerSpec?.Image;
  const after = next.TaskTemplate?.ContainerSpec?.Image;
  if (typeof after !== 'string' || typeof before !== 'string')
    return 'the update must name the image as a string';
  if (rules.allowRepositoryChange !== true && imageRepository(before) !== imageRepository(after)) {
    return `the update would switch the image repository (${imageRepository(before)} → ${imageRepository(after)})`;
  }
  if (JSON.stringify(withoutBotFields(current)) !== JSON.stringify(withoutBotFields(next))) {
    return 'the update changes more than ForceUpdate, the replica count or the image tag';
  }
  return undefined;
}
