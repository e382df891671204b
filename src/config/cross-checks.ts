import { checkApprovals, checkPolicyRoles } from './cross-check-policies.js';
import {
  checkDuplicateAccounts,
  checkPlatformRoles,
  checkRoleMembers,
} from './cross-check-people.js';
import {
  checkDuplicateNames,
  checkEnvironmentNames,
  checkProbeServices,
  checkSharedChannels,
  checkWatchEscalation,
} from './cross-check-environments.js';
import { checkImageRepositories } from './cross-check-images.js';
import type { Finding } from './finding.js';
import { readConfigAsWritten } from './config-as-written.js';

export interface CrossCheckFindings {
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
}

/**
 * The rules a schema cannot express, because they relate one part of the file to another. They
 * read the raw data, so they run, and report, even when the schema has found problems too.
 */
export function crossCheck(raw: unknown): CrossCheckFindings {
  const config = readConfigAsWritten(raw);
  const errors: Finding[] = [
    ...checkRoleMembers(config),
    ...checkDuplicateAccounts(config),
    ...checkPlatformRoles(config),
    ...checkEnvironmentNames(config),
    ...checkSharedChannels(config),
  ];
  const warnings: Finding[] = [...checkImageRepositories(raw)];
  for (const env of config.environments ?? []) {
    errors.push(
      ...checkPolicyRoles(config, env),
      ...checkDuplicateNames(env),
      ...checkProbeServices(env),
      ...checkWatchEscalation(env),
    );
    for (const op of env.operations) {
      const approvals = checkApprovals(config, env, op);
      errors.push(...approvals.errors);
      warnings.push(...approvals.warnings);
    }
  }
  return { errors, warnings };
}
