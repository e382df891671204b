import { finding, type Finding } from './finding.js';
import type {
  ListEntry,
  ConfigAsWritten,
  EnvironmentAsWritten,
  OperationAsWritten,
} from './config-as-written.js';
import { suggest } from './suggest.js';

export interface PolicyFindings {
  readonly errors: Finding[];
  readonly warnings: Finding[];
}

/** Every role a policy names (`read`, `escalate`, each operation's lists) exists under `roles`. */
export function checkPolicyRoles(config: ConfigAsWritten, env: EnvironmentAsWritten): Finding[] {
  const roles = [...config.roles.keys()];
  const base = ['environments', env.name, 'policy'];
  const lists: [string[], readonly ListEntry[]][] = [
    [[...base, 'read'], env.read],
    [[...base, 'escalate'], env.escalate],
    ...env.operations.flatMap((op): [string[], readonly ListEntry[]][] => [
      [[...base, op.name, 'request'], op.request],
      [[...base, op.name, 'approve'], op.approve],
      [[...base, op.name, 'breakGlass'], op.breakGlass],
    ]),
  ];
  return lists.flatMap(([path, entries]) =>
    entries
      .filter(({ value }) => !config.roles.has(value))
      .map(({ index, value }) =>
        finding(
          [...path, index],
          `role "${value}" is not defined under roles`,
          suggest(value, roles, `add ${value}: [people] under roles`),
        ),
      ),
  );
}

/** Distinct people holding any of `roles`; a role granted by Discord role ids may be held by anyone with a Discord id. */
function holders(config: ConfigAsWritten, roles: readonly ListEntry[]): Set<string> {
  const people = new Set<string>();
  const granted = new Set(config.discordRoles.map(([, role]) => role));
  for (const { value: role } of roles) {
    for (const { value } of config.roles.get(role) ?? []) people.add(value);
    if (granted.has(role)) {
      for (const [person, ids] of config.people)
        if (typeof ids.discord === 'string') people.add(person);
    }
  }
  return people;
}

const plural = (n: number, word: string): string =>
  `${n} ${n === 1 ? word : word === 'person' ? 'people' : `${word}s`}`;

/**
 * An operation must be approvable: someone holds an approve role (or break-glass exists), and
 * enough approvers remain once the requester, who never votes on their own request, is left out.
 */
export function checkApprovals(
  config: ConfigAsWritten,
  env: EnvironmentAsWritten,
  op: OperationAsWritten,
): PolicyFindings {
  const path = ['environments', env.name, 'policy', op.name];
  const none: PolicyFindings = { errors: [], warnings: [] };
  if (op.approve.length === 0) {
    if (op.breakGlass.length > 0) return none;
    const message = `nobody can approve ${op.name}: approve lists no roles and there is no breakGlass`;
    return {
      errors: [
        finding([...path, 'approve'], message, 'list the approver roles, e.g. approve: [lead]'),
      ],
      warnings: [],
    };
  }
  // An undefined approve role is reported already; counting without it would only repeat that.
  if (op.approve.some(({ value }) => !config.roles.has(value))) return none;
  const approvers = holders(config, op.approve);
  if (op.approvals <= approvers.size)
    return checkRequesters(config, op, approvers, [...path, 'approvals']);
  const who = approvers.size > 0 ? ` (${[...approvers].join(', ')})` : '';
  const message = `${op.name} needs ${plural(op.approvals, 'approval')} but only ${plural(approvers.size, 'person')} ${approvers.size === 1 ? 'holds' : 'hold'} an approve role${who}`;
  const hint = `lower approvals or add people to ${op.approve.map((e) => e.value).join(', ')}; the requester never approves their own request`;
  return { errors: [finding([...path, 'approvals'], message, hint)], warnings: [] };
}

/** Requesters who are approvers themselves leave one approver fewer for their own requests. */
function checkRequesters(
  config: ConfigAsWritten,
  op: OperationAsWritten,
  approvers: ReadonlySet<string>,
  path: readonly string[],
): PolicyFindings {
  const breakGlass = holders(config, op.breakGlass);
  const requesters = [...holders(config, op.request)];
  const stuck = requesters.filter(
    (p) => approvers.has(p) && approvers.size - 1 < op.approvals && !breakGlass.has(p),
  );
  if (stuck.length === 0) return { errors: [], warnings: [] };
  const needs = plural(op.approvals, 'approval');
  const lower = approvers.size > 1 ? `lower approvals to ${approvers.size - 1}, ` : '';
  const hint = `${lower}add another approver, or give ${stuck.join(', ')} a breakGlass role`;
  if (stuck.length === requesters.length) {
    const message = `no ${op.name} request can ever be approved: it needs ${needs}, and every requester is one of the ${plural(approvers.size, 'approver')} but cannot approve their own request`;
    return { errors: [finding(path, message, hint)], warnings: [] };
  }
  const message = `a ${op.name} requested by ${stuck.join(' or ')} can never be approved: it needs ${needs} and leaves only ${plural(approvers.size - 1, 'other approver')}`;
  return { errors: [], warnings: [finding(path, message, hint)] };
}
