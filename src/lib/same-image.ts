import { normaliseImage } from './image-reference.js';

const digestOf = (image: string): string | undefined => /@(.+)$/.exec(image)?.[1];

/**
 * Whether a service runs `planned`. Platforms report a reference with or without the digest
 * they pinned and may keep Docker Hub names short (`redis:7`), so both sides are normalised; the
 * digests are compared only when both carry one (a rollback to `app:1@sha256:old` is not done
 * while `app:1@sha256:new` runs).
 */
export function sameImage(running: string, planned: string): boolean {
  const withoutDigest = (image: string) => normaliseImage(image.replace(/@.*$/, ''));
  if (withoutDigest(running) !== withoutDigest(planned)) return false;
  const [a, b] = [digestOf(running), digestOf(planned)];
  return a === undefined || b === undefined || a === b;
}
