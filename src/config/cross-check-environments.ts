import type { PathSegment } from './config-issue.js';
import { formatPath } from './config-issue.js';
import { finding, type Finding } from './finding.js';
import type { ListEntry, ConfigAsWritten, EnvironmentAsWritten } from './config-as-written.js';
import { suggest } from './suggest.js';

/** `defaultEnvironment` names an environment; at least one environment exists. */
export function checkEnvironmentNames(config: ConfigAsWritten): Finding[] {
  if (config.environments === undefined) return []; // zod reports the missing mapping
  const names = config.environments.map((env) => env.name);
  const findings: Finding[] = [];
  if (names.length === 0)
    findings.push(
      finding(
        ['environments'],
        'no environments are defined',
        'add at least one, e.g. prod: { platform: swarm, stack: prod, … }',
      ),
    );
  const wanted = config.defaultEnvironment;
  if (wanted !== undefined && !names.includes(wanted)) {
    findings.push(
      finding(
        ['defaultEnvironment'],
        `environment "${wanted}" is not defined`,
        suggest(wanted, names, `use one of: ${names.join(', ')}`),
      ),
    );
  }
  return findings;
}

/**
 * A command (`ops`) channel belongs to one environment, or commands there could not default to
 * it. Other channels may be shared: one support team usually has one channel for every product.
 */
export function checkSharedChannels(config: ConfigAsWritten): Finding[] {
  const firstUse = new Map<string, { env: string; path: string }>();
  const findings: Finding[] = [];
  for (const env of config.environments ?? []) {
    for (const { key, platform, id } of env.channels) {
      if (key !== 'ops') continue;
      const path: PathSegment[] = ['environments', env.name, 'channels', key, platform];
      const first = firstUse.get(`${platform}:${id}`);
      if (first === undefined)
        firstUse.set(`${platform}:${id}`, { env: env.name, path: formatPath(path) });
      else if (first.env !== env.name)
        findings.push(
          finding(
            path,
            `${platform} channel ${id} is also the ops channel of environment ${first.env} (${first.path})`,
            'commands in an ops channel default to its environment, so each ops channel may belong to one environment only; support channels may be shared',
          ),
        );
    }
  }
  return findings;
}

function duplicates(
  entries: readonly ListEntry[],
  path: (index: number) => PathSegment[],
  what: string,
): Finding[] {
  const first = new Map<string, number>();
  return entries.flatMap(({ index, value }) => {
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, index);
      return [];
    }
    return [
      finding(
        path(index),
        `${what} "${value}" is listed twice (first at [${earlier}])`,
        `names must be unique within an environment; remove or rename one`,
      ),
    ];
  });
}

/** Service, probe and log pattern names are unique within an environment. */
export function checkDuplicateNames(env: EnvironmentAsWritten): Finding[] {
  const base = ['environments', env.name];
  return [
    ...duplicates(env.services, (i) => [...base, 'services', i], 'service'),
    ...duplicates(env.probeNames, (i) => [...base, 'probes', i, 'name'], 'probe'),
    ...duplicates(env.patternNames, (i) => [...base, 'logs', 'patterns', i, 'name'], 'log pattern'),
  ];
}

/** The watcher escalates to the support channel, so an environment with `watch` needs one. */
export function checkWatchEscalation(env: EnvironmentAsWritten): Finding[] {
  if (env.watch === undefined || env.channels.some((channel) => channel.key === 'support'))
    return [];
  const path = [
    'environments',
    env.name,
    'watch',
    ...(env.watch.escalateAfterWritten ? ['escalateAfter'] : []),
  ];
  return [
    finding(
      path,
      `the watcher escalates after repeated failed checks, but environment ${env.name} has no support channel`,
      'add channels: { support: { slack: C…, discord: "…" } } to this environment, or remove watch',
    ),
  ];
}

/** A probe's `service` is one of the environment's services: its logs go with the probe's failure. */
export function checkProbeServices(env: EnvironmentAsWritten): Finding[] {
  const services = env.services.map((entry) => entry.value);
  return env.probeServices
    .filter(({ value }) => !services.includes(value))
    .map(({ index, value }) =>
      finding(
        ['environments', env.name, 'probes', index, 'service'],
        `service "${value}" is not one of this environment's services`,
        suggest(value, services, `use one of: ${services.join(', ')}`),
      ),
    );
}
