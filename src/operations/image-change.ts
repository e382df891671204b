import type { EnvironmentConfig } from '../config/schema.js';
import { UserError } from '../core/errors.js';
import {
  formatImageReference,
  isImageTag,
  normaliseImage,
  parseImageReference,
  repositoryOf,
  type ImageReference,
} from '../lib/image-reference.js';

const USAGE_HINT =
  'Name a tag of the same image (`rollback backend 5.15.1`) or a whole image reference (`rollback backend ghcr.io/acme/app:5.15.1`, `…@sha256:<64 hex>`).';

function parsed(text: string): ImageReference | undefined {
  const result = parseImageReference(text);
  return result.ok ? result.value : undefined;
}

/**
 * What `rollback <service> <asked>` means, as one full reference: a bare tag (`5.15.1`) or
 * digest (`@sha256:…`) stays on the service's repository; anything else is a reference of its
 * own. Refused with the usage when Docker would not parse it.
 */
export function targetImage(current: string, asked: string): string {
  const base = parsed(current);
  const onCurrent = (part: { tag: string } | { digest: string }) =>
    base === undefined
      ? undefined
      : formatImageReference({ registry: base.registry, path: base.path, ...part });
  const onTag = asked.startsWith('@') || (!/[/:@]/.test(asked) && isImageTag(asked));
  if (onTag && base === undefined)
    throw new UserError(
      'USAGE',
      `The current image "${current}" is not a reference Docker accepts, so "${asked}" cannot be put on it.`,
      [USAGE_HINT],
    );
  let target: string | undefined;
  if (asked.startsWith('@')) {
    const digest = parsed(`x${asked}`)?.digest;
    target = digest === undefined ? undefined : onCurrent({ digest });
  } else if (!/[/:@]/.test(asked) && isImageTag(asked)) {
    target = onCurrent({ tag: asked });
  } else {
    const reference = parseImageReference(asked);
    if (!reference.ok) throw new UserError('USAGE', `${reference.error}.`, [USAGE_HINT]);
    target = formatImageReference(reference.value);
  }
  if (target === undefined)
    throw new UserError('USAGE', `"${asked}" is not a valid image tag or reference.`, [USAGE_HINT]);
  return target;
}

/** The repositories `from → to` when they differ after normalisation; undefined otherwise. */
export function repositoryChange(
  before: string,
  after: string,
): { readonly from: string; readonly to: string } | undefined {
  const from = parsed(before);
  const to = parsed(after);
  if (from === undefined || to === undefined) {
    const same = normaliseImage(before).split(/[:@]/)[0] === normaliseImage(after).split(/[:@]/)[0];
    return same ? undefined : { from: before, to: after };
  }
  return repositoryOf(from) === repositoryOf(to)
    ? undefined
    : { from: repositoryOf(from), to: repositoryOf(to) };
}

/** The repositories an environment lets a service move to, normalised, besides its own. */
function allowedRepositories(env: EnvironmentConfig): string[] {
  return (env.images?.allowRepositories ?? []).flatMap((entry) => {
    const reference = parsed(entry);
    return reference === undefined ? [] : [repositoryOf(reference)];
  });
}

/**
 * A change of image repository is refused unless `images.allowRepositories` lists the target:
 * a tag rollback keeps the repository; a swap to another registry or path is how a hostile
 * image would get in, so it needs the operator's say-so in the config, not only an approver's.
 */
export function refuseRepositoryChange(
  env: EnvironmentConfig,
  environment: string,
  service: string,
  before: string,
  after: string,
): void {
  const change = repositoryChange(before, after);
  if (change === undefined) return;
  const allowed = allowedRepositories(env);
  if (allowed.includes(change.to)) return;
  throw new UserError(
    'IMAGE_NOT_ALLOWED',
    `Refused: this would change the image repository of ${service} from ${change.from} to ${change.to} (${normaliseImage(before)} → ${normaliseImage(after)}).`,
    [
      `Allowed repositories for ${service} in \`${environment}\`: ${[change.from, ...allowed].join(', ')}.`,
      `To allow ${change.to}, add it to \`environments.${environment}.images.allowRepositories\` in the config.`,
    ],
  );
}
