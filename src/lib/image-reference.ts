import { err, ok, type Result } from '../core/result.js';

/**
 * A Docker image reference, normalised as the Docker Engine normalises it
 * (distribution/reference `ParseNormalizedNamed`): `redis` is `docker.io/library/redis`,
 * `localhost:5000/app` keeps its registry. What approvers compare is `repository`; what runs is
 * `full`.
 */
export interface ImageReference {
  /** `docker.io`, `ghcr.io`, `localhost:5000`. */
  readonly registry: string;
  /** The path inside the registry: `library/redis`, `org/app`. */
  readonly path: string;
  /** Absent when only a digest pins the image. */
  readonly tag?: string;
  /** `sha256:<64 hex>`. */
  readonly digest?: string;
}

const DEFAULT_REGISTRY = 'docker.io';
const LEGACY_REGISTRY = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
/** The Engine's limit on `registry/path`. */
const NAME_MAX = 255;

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REMAINDER = new RegExp(
  `^(${pathComponent}(?:/${pathComponent})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST_HEX: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/** Whether `text` is a tag on its own (`5.15.1`, `latest`), as `docker tag` accepts one. */
export function isImageTag(text: string): boolean {
  return TAG.test(text);
}

/**
 * Docker's split: the first component is a registry only when it has a `.` or a `:`, is
 * `localhost`, or has upper-case letters (a repository path never does); otherwise Docker Hub.
 */
function splitRegistry(text: string): { registry: string; remainder: string } {
  const slash = text.indexOf('/');
  const first = slash === -1 ? '' : text.slice(0, slash);
  const isRegistry =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let registry = isRegistry ? first : DEFAULT_REGISTRY;
  let remainder = isRegistry ? text.slice(slash + 1) : text;
  if (registry === LEGACY_REGISTRY) registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !remainder.includes('/'))
    remainder = `${OFFICIAL_PREFIX}${remainder}`;
  return { registry, remainder };
}

function checkDigest(digest: string): string | undefined {
  const [algorithm = '', hex = ''] = digest.split(':');
  const length = DIGEST_HEX[algorithm];
  if (length === undefined) return `digest algorithm "${algorithm}" is not supported`;
  if (hex.length !== length || !/^[0-9a-f]+$/.test(hex))
    return `a ${algorithm} digest is ${length} lower-case hexadecimal characters`;
  return undefined;
}

/** `registry:5000/team/app:1.2@sha256:…` → its parts, or why Docker would refuse it. */
export function parseImageReference(text: string): Result<ImageReference> {
  const refused = (why: string) => err(`"${text}" is not a valid image reference: ${why}`);
  if (text === '' || /\s/.test(text)) return refused('it is empty or has spaces');
  if (/^[a-f0-9]{64}$/.test(text))
    return refused('a 64-character hexadecimal string is an image id, not a reference');
  const { registry, remainder } = splitRegistry(text);
  const colon = remainder.indexOf(':');
  const repository = colon === -1 ? remainder : remainder.slice(0, colon);
  if (repository.toLowerCase() !== repository)
    return refused('the repository name must be lower-case');
  if (!DOMAIN.test(registry)) return refused(`"${registry}" is not a registry host`);
  const match = REMAINDER.exec(remainder);
  if (match === null)
    return refused(
      'expected [registry/]repository[:tag][@digest], repository in lower-case letters, digits and . _ -',
    );
  const [, path = '', tag, digest] = match;
  if (registry.length + 1 + path.length > NAME_MAX)
    return refused(`the name is longer than ${NAME_MAX} characters`);
  const badDigest = digest === undefined ? undefined : checkDigest(digest);
  if (badDigest !== undefined) return refused(badDigest);
  return ok({
    registry,
    path,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest }),
  });
}

/** `ghcr.io/org/app`: what a repository change compares. */
export function repositoryOf(reference: ImageReference): string {
  return `${reference.registry}/${reference.path}`;
}

/**
 * The whole reference, nothing implicit: `docker.io/library/redis:7`,
 * `ghcr.io/org/app:5.15.1@sha256:…`; `latest` only when neither a tag nor a digest is given,
 * as the Engine defaults it.
 */
export function formatImageReference(reference: ImageReference): string {
  const tag = reference.tag ?? (reference.digest === undefined ? 'latest' : undefined);
  return `${repositoryOf(reference)}${tag === undefined ? '' : `:${tag}`}${reference.digest === undefined ? '' : `@${reference.digest}`}`;
}

/** The normalised full form of `text`, or `text` itself when Docker would not parse it. */
export function normaliseImage(text: string): string {
  const parsed = parseImageReference(text);
  return parsed.ok ? formatImageReference(parsed.value) : text;
}

/** What people read as the version: the tag, else the short digest (`sha256:abcdef012345`). */
export function tagOf(text: string): string {
  const parsed = parseImageReference(text);
  if (!parsed.ok) return text.split(/[:@]/).pop() ?? text;
  const { tag, digest } = parsed.value;
  if (tag !== undefined) return tag;
  return digest === undefined ? 'latest' : digest.slice(0, digest.indexOf(':') + 13);
}
