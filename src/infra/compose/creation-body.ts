import { isDeepStrictEqual } from 'node:util';
import { COMPOSE_IMAGE_LABEL, PREVIOUS_IMAGE_LABEL } from './compose-labels.js';
import type { EngineContainer, EngineContainerConfig, EngineEndpoint } from './engine-container.js';

export interface Replacement {
  /** The image reference the new container runs (`registry/app:1.3.0`). */
  readonly image: string;
  /** Its image id, recorded in Compose's own image label. */
  readonly imageId: string | undefined;
  /** What the old container's image gave it by default, so the new image's defaults apply instead. */
  readonly oldImageDefaults: EngineContainerConfig;
}

/** The network the container is created on, and the ones connected after creation. */
export interface CreationBody {
  readonly body: Record<string, unknown>;
  readonly laterNetworks: readonly { readonly name: string; readonly endpoint: EngineEndpoint }[];
}

/**
 * `POST /containers/create` for a container like `old` on another image, the way
 * `docker compose up -d` recreates one: the same labels, env, command, mounts, restart policy
 * and networks; what the old image supplied by default (its env, command, labels, workdir …)
 * is left to the new image. Engine API v1.41 attaches one network at creation; any others are
 * connected before the start.
 */
export function creationBody(old: EngineContainer, replacement: Replacement): CreationBody {
  const config = old.Config ?? {};
  const defaults = replacement.oldImageDefaults;
  const id = old.Id ?? '';
  const own: Record<string, unknown> = { ...config };
  delete own.Image;
  // The Engine defaults the hostname to the short id; the new container gets its own.
  if (typeof config.Hostname === 'string' && id.startsWith(config.Hostname)) delete own.Hostname;
  own.Env = (config.Env ?? []).filter((entry) => !(defaults.Env ?? []).includes(entry));
  if (isDeepStrictEqual(config.Entrypoint ?? null, defaults.Entrypoint ?? null)) {
    delete own.Entrypoint;
    if (isDeepStrictEqual(config.Cmd ?? null, defaults.Cmd ?? null)) delete own.Cmd;
  }
  for (const key of [
    'WorkingDir',
    'User',
    'ExposedPorts',
    'Volumes',
    'Healthcheck',
    'StopSignal',
    'OnBuild',
  ] as const) {
    if (isDeepStrictEqual(config[key] ?? null, defaults[key] ?? null)) delete own[key];
  }
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.Labels ?? {})) {
    if (defaults.Labels?.[key] !== value) labels[key] = value;
  }
  labels[PREVIOUS_IMAGE_LABEL] = config.Image ?? old.Image ?? '';
  if (replacement.imageId !== undefined) labels[COMPOSE_IMAGE_LABEL] = replacement.imageId;

  const networks = Object.entries(old.NetworkSettings?.Networks ?? {});
  const mode = old.HostConfig?.NetworkMode ?? 'default';
  const primary = networks.find(([name]) => name === mode) ?? networks[0];
  const endpoint = (name: string, value: EngineEndpoint): EngineEndpoint => ({
    ...(value.IPAMConfig ? { IPAMConfig: value.IPAMConfig } : {}),
    ...(value.Links ? { Links: value.Links } : {}),
    ...(value.DriverOpts ? { DriverOpts: value.DriverOpts } : {}),
    // The old container's short id is one of its aliases; the new one gets its own.
    ...(isUserNetwork(name) && value.Aliases
      ? { Aliases: value.Aliases.filter((alias) => !id.startsWith(alias)) }
      : {}),
  });
  return {
    body: {
      ...own,
      Image: replacement.image,
      Labels: labels,
      HostConfig: old.HostConfig ?? {},
      ...(primary === undefined
        ? {}
        : { NetworkingConfig: { EndpointsConfig: { [primary[0]]: endpoint(...primary) } } }),
    },
    laterNetworks: networks
      .filter((entry) => entry !== primary)
      .map(([name, value]) => ({ name, endpoint: endpoint(name, value) })),
  };
}

function isUserNetwork(name: string): boolean {
  return !['host', 'none', 'bridge', 'default'].includes(name);
}
