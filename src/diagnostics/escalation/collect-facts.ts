import type { EnvironmentConfig } from '../../config/schema.js';
import type { EscalationReport } from './escalation-report.js';
import { UNKNOWN } from './escalation-report.js';

type Facts = EnvironmentConfig['facts'];

/** The fact keys the report reads by name; everything else lands in `other`. */
const NAMED = [
  'product',
  'version',
  'productVersion',
  'database',
  'databaseType',
  'databaseVersion',
  'os',
  'databaseInStack',
];

const text = (value: Facts[string] | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : String(value);

/**
 * The environment's `facts` as TAS support asks for them before an escalation (product version,
 * database type and version, operating system, database in the stack or not;
 * docs/runbooks/tas-escalation.md); absent ones read `unknown`.
 */
export function collectFacts(facts: Facts): EscalationReport['facts'] {
  const database =
    text(facts.database) ??
    ([text(facts.databaseType), text(facts.databaseVersion)].filter(Boolean).join(' ') ||
      undefined);
  const other: Record<string, string> = {};
  for (const [key, value] of Object.entries(facts))
    if (!NAMED.includes(key)) other[key] = String(value);
  return {
    product: text(facts.product) ?? UNKNOWN,
    version: text(facts.version) ?? text(facts.productVersion) ?? UNKNOWN,
    database: database ?? UNKNOWN,
    os: text(facts.os) ?? UNKNOWN,
    databaseInStack: inStack(facts.databaseInStack),
    other,
  };
}

function inStack(value: Facts[string] | undefined): string {
  if (value === true || value === 'true' || value === 'yes') return 'yes';
  if (value === false || value === 'false' || value === 'no') return 'no';
  return UNKNOWN;
}
