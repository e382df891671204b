/**
 * `registry:5000/tas/backend:5.15.2@sha256:ab…` → image `registry:5000/tas/backend:5.15.2`,
 * tag `5.15.2`. Swarm pins the digest it resolved at deploy time; people read the tag. An image
 * with no tag shows `latest`, or the short digest when a digest is all there is.
 */
export function splitImage(reference: string): { image: string; imageTag: string } {
  const at = reference.indexOf('@');
  const image = at === -1 ? reference : reference.slice(0, at);
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port, not a tag.
  if (colon > lastSlash) return { image, imageTag: image.slice(colon + 1) };
  if (digest !== undefined) return { image, imageTag: shortDigest(digest) };
  return { image, imageTag: 'latest' };
}

function shortDigest(digest: string): string {
  const [algorithm = '', hex = ''] = digest.split(':');
  return hex === '' ? algorithm : `${algorithm}:${hex.slice(0, 12)}`;
}
