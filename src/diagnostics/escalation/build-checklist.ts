import type { ChecklistItem, EscalationReport } from './escalation-report.js';
import { UNKNOWN } from './escalation-report.js';
import { utcTime } from './utc-time.js';
import { countOf } from './count-of.js';

type Body = Omit<EscalationReport, 'checklist'>;

const known = (item: string, value: string): ChecklistItem => ({ item, value, known: true });
const unknown = (item: string, why: string): ChecklistItem => ({
  item,
  value: `${UNKNOWN} (${why})`,
  known: false,
});
const either = (item: string, value: string, why: string): ChecklistItem =>
  value === UNKNOWN ? unknown(item, why) : known(item, value);

/**
 * What TAS support asks for before an escalation, in the runbook's order, then the two items
 * its log section adds (affected user, case or task id) and who is handling it (the list and
 * its source: docs/runbooks/tas-escalation.md). Every item is always there: a value, or
 * `unknown (why)`.
 */
export function buildChecklist(report: Body): ChecklistItem[] {
  const { facts, problem } = report;
  const product = facts.product === UNKNOWN ? 'Product' : facts.product;
  return [
    known('Environment name', report.environment.name),
    either('Environment URL', report.environment.url, 'no url in the config for this environment'),
    either(
      `${product} version`,
      facts.version,
      `no facts.version in the config${imageTags(report)}`,
    ),
    either('Database type and version', facts.database, 'no facts.database in the config'),
    either('Operating system', facts.os, 'no facts.os in the config'),
    databaseInStack(facts.databaseInStack),
    either('Description of the problem', problem.description, 'none given'),
    problem.startedAt === UNKNOWN
      ? unknown('Time the problem occurred', problem.startedAtNote)
      : known(
          'Time the problem occurred',
          `${utcTime(problem.startedAt)} (${problem.startedAtNote})`,
        ),
    either('Steps to reproduce', problem.stepsToReproduce, 'none given'),
    either('Affected user', problem.affectedUser, 'none given'),
    either('Case or task ID', problem.caseId, 'none given'),
    relevantLogs(report),
    recentChanges(report),
    either(
      'Last deploy or restart',
      report.recentChanges.lastRestartOrDeploy,
      'neither the audit trail nor the platform shows one',
    ),
    dockerStatus(report),
    statusRoutes(report),
    whoIsHandling(report),
  ];
}

function imageTags(report: Body): string {
  const tags = report.status.services
    .filter((s) => s.image !== undefined && !s.replicas.startsWith('0/'))
    .map((s) => `${s.name} ${s.image ?? ''}`);
  return tags.length === 0 ? '' : `; images running: ${tags.slice(0, 4).join(', ')}`;
}

function databaseInStack(value: string): ChecklistItem {
  const item = 'Database in the Docker stack';
  if (value === 'yes') return known(item, 'yes, it is part of the Docker stack');
  if (value === 'no') return known(item, 'no, it runs outside the Docker stack');
  return unknown(item, 'no facts.databaseInStack in the config');
}

function relevantLogs(report: Body): ChecklistItem {
  const item = 'Relevant logs';
  const read = report.logs.filter((log) => log.error === undefined);
  if (read.length === 0) {
    const why = report.logs.map((log) => `${log.service}: ${log.error ?? ''}`).join('; ');
    return unknown(item, why === '' ? 'no service to read logs from' : why);
  }
  const names = read.map(
    (log) =>
      `${log.service} (${countOf(log.matchedLines, 'line')} of interest in ${log.linesScanned})`,
  );
  return known(item, `${names.join(', ')}; see Logs`);
}

function recentChanges(report: Body): ChecklistItem {
  const item = 'Recent infrastructure changes';
  const { operations, note, unavailable } = report.recentChanges;
  if (unavailable !== undefined) return unknown(item, `${unavailable}; ${note}`);
  if (operations.length === 0)
    return known(item, `no operations recorded through the bot; ${note}`);
  const newest = operations[0];
  const what = newest === undefined ? '' : `${newest.operation} ${newest.service ?? ''}`.trim();
  const by =
    newest === undefined
      ? ''
      : ` by ${newest.requestedBy} at ${utcTime(newest.at)} (${newest.outcome})`;
  return known(
    item,
    `${countOf(operations.length, 'operation')} through the bot, newest: ${what}${by}; ${note}`,
  );
}

function dockerStatus(report: Body): ChecklistItem {
  const item = 'Status of Docker services';
  const { services, platformError } = report.status;
  if (platformError !== undefined)
    return unknown(item, `the platform could not be listed: ${platformError}`);
  const counts = new Map<string, number>();
  for (const service of services) counts.set(service.health, (counts.get(service.health) ?? 0) + 1);
  const summary = [...counts].map(([health, n]) => `${n} ${health}`).join(', ');
  return known(item, `${services.length} services: ${summary}; see Status`);
}

function statusRoutes(report: Body): ChecklistItem {
  const item = 'Output of status routes';
  if (report.probes.length === 0) return unknown(item, 'no probes configured for this environment');
  return known(
    item,
    `${report.probes.map((p) => `${p.name}: ${p.detail}`).join('; ')}; see Probes`,
  );
}

function whoIsHandling(report: Body): ChecklistItem {
  const { handling } = report;
  const open = handling.openOperations.map(
    (op) => `${op.operation} ${op.target} by ${op.requester} (${op.state})`,
  );
  const ops =
    open.length > 0
      ? `open operations: ${open.join(', ')}`
      : (handling.openOperationsNote ?? 'no open operations');
  return known('Who is handling it', `${handling.requestedBy}; ${ops}`);
}
