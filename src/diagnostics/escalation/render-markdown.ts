import { formatDuration } from '../../lib/duration.js';
import type {
  EscalationReport,
  LogReport,
  ProbeReport,
  ServiceReport,
} from './escalation-report.js';
import { fitText, REPORT_BUDGETS } from './report-budgets.js';
import { utcTime } from './utc-time.js';
import { countOf } from './count-of.js';

/**
 * The report for people: the checklist first (what TAS support asks for before anything else,
 * docs/runbooks/tas-escalation.md), then the evidence behind it. The section titles name the
 * runbook sections the support team knows ("Runbook §11", "§9.3"), both copied in that file.
 * Each section is cut to its own budget. Text from logs and probes is data: prose escapes
 * Markdown, verbatim lines sit in fences longer than any run of backticks inside them.
 */
export function renderMarkdown(report: EscalationReport): string {
  const head = [
    `# Escalation: ${md(report.environment.name)} is ${report.problem.verdict}`,
    '',
    `Report \`${report.id}\` · created ${utcTime(report.createdAt)} · ${report.trigger === 'watcher' ? 'sent by the watcher' : `requested by ${md(report.requestedBy)}`}`,
    '',
  ].join('\n');
  return [
    head,
    section('Runbook §11 checklist', checklist(report), REPORT_BUDGETS.checklist),
    section('What is broken', broken(report), REPORT_BUDGETS.userText * 2),
    section(
      `Status of Docker services (checked ${utcTime(report.status.checkedAt)} in ${formatDuration(report.status.tookMs)})`,
      status(report),
      REPORT_BUDGETS.status,
    ),
    section('Status routes and probes', probes(report.probes), REPORT_BUDGETS.probes),
    section('Logs', logs(report), REPORT_BUDGETS.logs + 2_000),
    section('Recent changes (audit trail)', changes(report), REPORT_BUDGETS.changes),
    section('Who is handling it', handling(report), REPORT_BUDGETS.handling),
    section('Other facts', otherFacts(report), REPORT_BUDGETS.handling),
  ].join('\n');
}

function section(title: string, body: string, budget: number): string {
  return `## ${title}\n\n${fitText(body, budget)}\n`;
}

/** Prose from outside (logs, probes, people): Markdown syntax and HTML tags shown as typed. */
export function md(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`);
}

/** Verbatim lines in a fence no line inside can close. */
export function fenced(lines: readonly string[], info = 'text'): string {
  const longest = Math.max(
    0,
    ...lines.map((line) => Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length))),
  );
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, ...lines, fence].join('\n');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c) => (c === '' ? ' ' : md(c))).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

function checklist(report: EscalationReport): string {
  return table(
    ['Item', 'Value'],
    report.checklist.map((c) => [c.item, c.value]),
  );
}

function broken(report: EscalationReport): string {
  const lines = [`Verdict: **${report.problem.verdict}**`, ''];
  if (report.problem.reasons.length === 0)
    lines.push('- The status check finds nothing wrong right now.');
  for (const reason of report.problem.reasons) lines.push(`- ${md(reason)}`);
  lines.push('', `Description: ${md(report.problem.description)}`);
  return lines.join('\n');
}

function status(report: EscalationReport): string {
  const parts: string[] = [];
  if (report.status.platformError !== undefined)
    parts.push(`The platform could not be listed: ${md(report.status.platformError)}`, '');
  parts.push(
    table(
      ['Service', 'Replicas', 'Health', 'Problem', 'Image', 'Running since', 'Restart history'],
      report.status.services.map((s) => [
        s.configured ? s.name : `${s.name} (not in config)`,
        s.replicas,
        s.health,
        s.problem || 'none',
        s.image ?? '',
        s.runningSince === undefined ? '' : utcTime(s.runningSince),
        restartHistory(s),
      ]),
    ),
  );
  const failed = report.status.services.filter((s) => s.restartHistory.recentFailures.length > 0);
  for (const service of failed) {
    parts.push('', `Failed tasks of ${md(service.name)}, newest first:`);
    for (const task of service.restartHistory.recentFailures) {
      const exit = task.exitCode === undefined ? '' : `, exit code ${task.exitCode}`;
      parts.push(
        `- ${utcTime(task.at)}: ${md(task.state)}${task.error === undefined ? '' : ` (${md(task.error)})`}${exit}`,
      );
    }
  }
  return parts.join('\n');
}

function restartHistory(service: ServiceReport): string {
  const { failuresInWindow, windowMs, inLoop, lastError } = service.restartHistory;
  if (windowMs === 0) return '';
  const head = `${failuresInWindow} failed in ${formatDuration(windowMs)}${inLoop ? ', restart loop' : ''}`;
  return lastError === undefined ? head : `${head}; last: ${lastError}`;
}

function probes(list: readonly ProbeReport[]): string {
  if (list.length === 0)
    return 'No probes are configured for this environment: status routes unknown.';
  return list.map(probe).join('\n\n');
}

function probe(p: ProbeReport): string {
  const lines = [
    `### ${md(p.name)}: ${p.outcome}`,
    '',
    `- Target: ${md(p.target)}`,
    `- Result: ${md(p.detail)} (${p.latencyMs}ms${p.status === undefined ? '' : `, HTTP ${p.status}`}; a failure counts as ${p.severity})`,
  ];
  if (p.service !== undefined) lines.push(`- Service: ${md(p.service)}`);
  if (p.body !== undefined) lines.push('', fenced(p.body.split(/\r?\n/)));
  return lines.join('\n');
}

function logs(report: EscalationReport): string {
  if (report.logs.length === 0) return 'No service logs were read.';
  const parts = report.logs.map(logSection);
  if (report.logsLeftOut.length > 0)
    parts.push(`_Left out to keep the report short: ${report.logsLeftOut.map(md).join(', ')}._`);
  return parts.join('\n\n');
}

function logSection(log: LogReport): string {
  const lines = [`### ${md(log.service)}`, '', `Why: ${md(log.reason)}`];
  if (log.error !== undefined)
    return [...lines, '', `Logs: unknown (${md(log.error)}).`].join('\n');
  const window = [
    log.since === undefined ? undefined : `since ${utcTime(log.since)}`,
    log.tail === undefined ? undefined : `last ${log.tail} lines per task`,
  ]
    .filter(Boolean)
    .join(', ');
  lines.push(
    `Window: ${window}. ${countOf(log.matchedLines, 'line')} of interest in ${log.linesScanned} scanned${log.scanCut ? ' (the scan stopped early: byte cap, time limit or a dropped stream)' : ''}.`,
  );
  if (log.patternCounts.length > 0)
    lines.push(
      '',
      `Runbook patterns (§9.3): ${log.patternCounts.map((p) => `${md(p.name)} ×${p.count}`).join(', ')}`,
    );
  if (log.topRepeated.length > 0) {
    lines.push(
      '',
      'Most repeated:',
      '',
      fenced(log.topRepeated.map((g) => `×${g.count}  ${g.sample}`)),
    );
  }
  if (log.lines.length > 0) lines.push('', 'Excerpt:', '', fenced(log.lines));
  else lines.push('', 'Nothing of interest in the window.');
  if (log.omittedLines > 0)
    lines.push(
      '',
      `_${log.omittedLines} older excerpt lines left out to keep within this service's share of the report._`,
    );
  return lines.join('\n');
}

function changes(report: EscalationReport): string {
  const { operations, lastRestartOrDeploy, note, unavailable } = report.recentChanges;
  const parts: string[] = [];
  if (unavailable !== undefined) parts.push(`Unknown: ${md(unavailable)}.`);
  else if (operations.length === 0) parts.push('No operations recorded through the bot.');
  else {
    parts.push(
      table(
        ['When', 'Operation', 'Requested by', 'Approved by', 'Outcome', 'Request'],
        operations.map((op) => [
          utcTime(op.at),
          `${op.operation} ${op.service ?? ''}`.trim(),
          op.requestedBy,
          op.approvedBy.join(', ') || 'none',
          op.outcome,
          op.requestId ?? '',
        ]),
      ),
    );
  }
  parts.push('', `Last deploy or restart: ${md(lastRestartOrDeploy)}`, '', `_Note: ${md(note)}._`);
  return parts.join('\n');
}

function handling(report: EscalationReport): string {
  const { handling: h } = report;
  const open = h.openOperations.map(
    (op) =>
      `  - \`${op.id}\` ${md(op.operation)} ${md(op.target)}: ${op.state}, requested by ${md(op.requester)} at ${utcTime(op.createdAt)}${op.approvals.length > 0 ? `, approved by ${op.approvals.map(md).join(', ')}` : ''}`,
  );
  return [
    `- Escalated by: ${md(h.requestedBy)}`,
    `- Open operations: ${open.length === 0 ? md(h.openOperationsNote ?? 'none') : ''}`,
    ...open,
    `- Watcher: ${md(h.watcher)}`,
    `- Previous escalation: ${md(h.previousEscalation)}`,
  ].join('\n');
}

function otherFacts(report: EscalationReport): string {
  const entries = Object.entries(report.facts.other);
  if (entries.length === 0) return 'None in the config.';
  return entries.map(([key, value]) => `- ${md(key)}: ${md(value)}`).join('\n');
}
