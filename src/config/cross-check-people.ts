import { finding, type Finding } from './finding.js';
import type { ConfigAsWritten } from './config-as-written.js';
import { suggest } from './suggest.js';

/** Every person named in a role is defined under `people`. */
export function checkRoleMembers(config: ConfigAsWritten): Finding[] {
  const people = [...config.people.keys()];
  return [...config.roles].flatMap(([role, members]) =>
    members
      .filter(({ value }) => !config.people.has(value))
      .map(({ index, value }) =>
        finding(
          ['roles', role, index],
          `"${value}" is not defined under people`,
          suggest(value, people, `add ${value}: { slack: U…, discord: "…" } under people`),
        ),
      ),
  );
}

/** One chat account is one person: a Slack, Discord or Mattermost id given to two people is ambiguous. */
export function checkDuplicateAccounts(config: ConfigAsWritten): Finding[] {
  const owner = new Map<string, string>();
  const findings: Finding[] = [];
  for (const [person, ids] of config.people) {
    for (const platform of ['slack', 'discord', 'mattermost'] as const) {
      const id = ids[platform];
      if (typeof id !== 'string') continue;
      const first = owner.get(`${platform}:${id}`);
      if (first === undefined) owner.set(`${platform}:${id}`, person);
      else
        findings.push(
          finding(
            ['people', person, platform],
            `${platform} id ${id} is also ${first}'s`,
            'each chat account identifies exactly one person; remove the duplicate',
          ),
        );
    }
  }
  return findings;
}

/** `platformRoles.discord` grants roles that exist. */
export function checkPlatformRoles(config: ConfigAsWritten): Finding[] {
  const roles = [...config.roles.keys()];
  return config.discordRoles
    .filter(([, role]) => !config.roles.has(role))
    .map(([id, role]) =>
      finding(
        ['platformRoles', 'discord', id],
        `role "${role}" is not defined under roles`,
        suggest(
          role,
          roles,
          `add ${role}: [] under roles (an empty list is fine for a role granted only here)`,
        ),
      ),
    );
}
