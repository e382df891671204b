/** The swarm service the proxy itself runs as: updating it through the proxy is refused. */
export interface OwnService {
  readonly ids: readonly string[];
  readonly names: readonly string[];
}

export type EngineGet = (path: string) => Promise<{ status: number; json: unknown }>;

export type OwnServiceResult =
  | { readonly ok: true; readonly own: OwnService; readonly how: string }
  | { readonly ok: false; readonly reason: string };

const SERVICE_ID = 'com.docker.swarm.service.id';
const SERVICE_NAME = 'com.docker.swarm.service.name';

/**
 * The container ID Docker bind-mounts `/etc/hostname` from
 * (`/var/lib/docker/containers/<64 hex>/hostname`): unlike the hostname it stays right when a
 * stack file sets `hostname:`; undefined outside a container.
 */
export function containerIdFromMountinfo(mountinfo: string): string | undefined {
  return /\/containers\/([0-9a-f]{64})\/hostname\s/.exec(mountinfo)?.[1];
}

/**
 * Finds the proxy's own service two ways and protects every answer: `PROXY_SERVICE_NAME` (the
 * stack file sets it to `{{.Service.Name}}`, which Swarm fills in per task) and the swarm labels
 * of its own container, asked of the Engine once at startup. A 404 means the proxy is not a
 * container of this Engine (Compose, a host process): nothing to protect. Any other failure is
 * an error, so a proxy that cannot tell stays down rather than running unprotected.
 */
export async function findOwnService(
  configuredName: string | undefined,
  containerId: string | undefined,
  engine: EngineGet,
): Promise<OwnServiceResult> {
  const names = configuredName ? [configuredName] : [];
  if (containerId === undefined)
    return { ok: true, own: { ids: [], names }, how: 'not in a container' };
  let answer: { status: number; json: unknown };
  try {
    answer = await engine(`/v1.41/containers/${encodeURIComponent(containerId)}/json`);
  } catch (error) {
    return {
      ok: false,
      reason: `cannot ask the Engine about container ${containerId}: ${String(error)}`,
    };
  }
  if (answer.status === 404)
    return { ok: true, own: { ids: [], names }, how: `no container ${containerId} on this Engine` };
  if (answer.status !== 200)
    return {
      ok: false,
      reason: `the Engine answered ${answer.status} for container ${containerId}`,
    };
  const labels = (answer.json as { Config?: { Labels?: Record<string, string> | null } }).Config
    ?.Labels;
  const id = labels?.[SERVICE_ID];
  const name = labels?.[SERVICE_NAME];
  return {
    ok: true,
    own: {
      ids: id ? [id] : [],
      names: name && name !== configuredName ? [...names, name] : names,
    },
    how: name
      ? `container ${containerId} is a task of ${name}`
      : `container ${containerId} is no swarm task`,
  };
}
