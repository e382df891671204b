import { parseImageReference, repositoryOf } from '../lib/image-reference.js';
import { finding, type Finding } from './finding.js';
import { isPlainObject } from './plain-object.js';

/**
 * `images.allowRepositories` entries that Docker reads otherwise than they look: a first part
 * without a `.` or `:` is a Docker Hub namespace, not a registry host, so
 * `registry/tas/backend` allows `docker.io/registry/tas/backend`. Said at `check` time, with the
 * reading, rather than found when a rollback is refused.
 */
export function checkImageRepositories(raw: unknown): Finding[] {
  const environments = isPlainObject(raw) ? raw.environments : undefined;
  if (!isPlainObject(environments)) return [];
  const findings: Finding[] = [];
  for (const [name, env] of Object.entries(environments)) {
    const images = isPlainObject(env) ? env.images : undefined;
    const allowed = isPlainObject(images) ? images.allowRepositories : undefined;
    if (!Array.isArray(allowed)) continue;
    allowed.forEach((entry: unknown, index) => {
      if (typeof entry !== 'string') return;
      const parsed = parseImageReference(entry);
      if (!parsed.ok) return; // the schema reports it
      const explicit = /^(docker\.io|index\.docker\.io)\//.test(entry);
      if (parsed.value.registry !== 'docker.io' || explicit) return;
      if (parsed.value.path.split('/').length < 3) return;
      findings.push(
        finding(
          ['environments', name, 'images', 'allowRepositories', index],
          `"${entry}" allows ${repositoryOf(parsed.value)}: Docker reads a first part without "." or ":" as a Docker Hub namespace`,
          `write the registry host in full (registry.example.com/…, registry:5000/…), or docker.io/${parsed.value.path} if Docker Hub is meant`,
        ),
      );
    });
  }
  return findings;
}
