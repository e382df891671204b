import type { Config } from '../config/schema.js';
import type { ChatEvent, Platform } from '../core/chat-event.js';
import type { Directory, Identity } from '../core/directory.js';

/**
 * The config as the core's Directory. Identities come only from the verified platform user id
 * (and, on Discord, the member's role ids mapped in `platformRoles.discord`); the console
 * adapter identifies people by their config name.
 */
export function configDirectory(config: Config): Directory {
  const personByPlatformId = personsByPlatformId(config);
  const rolesByPerson = rolesOfPeople(config);
  const { envByOpsChannel, envsByChannel } = channelEnvironments(config);
  return {
    identify(event: ChatEvent): Identity | undefined {
      const person =
        event.platform === 'console'
          ? config.people[event.userId] !== undefined
            ? event.userId
            : undefined
          : personByPlatformId.get(`${event.platform}:${event.userId}`);
      if (person === undefined) return undefined;
      const roles = new Set(rolesByPerson.get(person) ?? []);
      if (event.platform === 'discord') {
        for (const roleId of event.platformRoles ?? []) {
          const role = config.platformRoles.discord[roleId];
          if (role !== undefined) roles.add(role);
        }
      }
      return { person, roles };
    },
    environmentNames: () => Object.keys(config.environments),
    // The console's "channel" is the environment chosen with --env, or a configured console name.
    environmentForChannel: (platform: Platform, channelId: string) =>
      envByOpsChannel.get(`${platform}:${channelId}`) ??
      (platform === 'console' && channelId in config.environments ? channelId : undefined),
    environmentsOfChannel: (platform: Platform, channelId: string) =>
      envsByChannel.get(`${platform}:${channelId}`) ?? [],
    defaultEnvironment: () => config.defaultEnvironment,
    allows: (identity, environment, permission) =>
      rolesWith(config, environment, permission).some((role) => identity.roles.has(role)),
    rolesWith: (environment, permission) => rolesWith(config, environment, permission),
  };
}

const OPERATIONS = ['restart', 'scale', 'stop', 'start', 'rollback'] as const;

/** `slack:U123` → the person's config name. */
function personsByPlatformId(config: Config): Map<string, string> {
  const personByPlatformId = new Map<string, string>();
  for (const [person, ids] of Object.entries(config.people)) {
    if (ids.slack) personByPlatformId.set(`slack:${ids.slack}`, person);
    if (ids.discord) personByPlatformId.set(`discord:${ids.discord}`, person);
    if (ids.mattermost) personByPlatformId.set(`mattermost:${ids.mattermost}`, person);
  }
  return personByPlatformId;
}

/** The config's `roles` turned around: each person's roles. */
function rolesOfPeople(config: Config): Map<string, Set<string>> {
  const rolesByPerson = new Map<string, Set<string>>();
  for (const [role, people] of Object.entries(config.roles)) {
    for (const person of people) {
      const roles = rolesByPerson.get(person) ?? new Set<string>();
      roles.add(role);
      rolesByPerson.set(person, roles);
    }
  }
  return rolesByPerson;
}

/**
 * `slack:C123` → the environments that name the channel. Only the command channel defaults
 * commands to its environment: a support channel is often one per team, shared by every
 * product it supports, so it names no single environment.
 */
function channelEnvironments(config: Config) {
  const envByOpsChannel = new Map<string, string>();
  const envsByChannel = new Map<string, string[]>();
  for (const [envName, env] of Object.entries(config.environments)) {
    for (const [key, channel] of Object.entries(env.channels)) {
      for (const [platform, id] of Object.entries(channel)) {
        if (id === undefined) continue;
        if (key === 'ops') envByOpsChannel.set(`${platform}:${id}`, envName);
        const envs = envsByChannel.get(`${platform}:${id}`) ?? [];
        if (!envs.includes(envName)) envsByChannel.set(`${platform}:${id}`, [...envs, envName]);
      }
    }
  }
  return { envByOpsChannel, envsByChannel };
}

/** The roles the environment's policy grants a permission to. */
function rolesWith(config: Config, environment: string, permission: string): readonly string[] {
  const policy = config.environments[environment]?.policy;
  if (policy === undefined) return [];
  switch (permission) {
    case 'read':
      return policy.read;
    case 'escalate':
      return policy.escalate ?? policy.read;
    case 'approve':
      return [...new Set(OPERATIONS.flatMap((op) => policy[op]?.approve ?? []))];
    case 'restart':
    case 'scale':
    case 'stop':
    case 'start':
    case 'rollback': {
      const op = policy[permission];
      return op ? [...new Set([...op.request, ...op.breakGlass])] : [];
    }
    default:
      return [];
  }
}
