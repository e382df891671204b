import type { ConfigIssue } from './config-issue.js';

export interface FormatOptions {
  /** Named in the summary line: `3 problems in config.yml`. */
  readonly file?: string;
  /** `problem` (✗, the default) or `warning` (⚠). */
  readonly kind?: 'problem' | 'warning';
}

function where(item: ConfigIssue): string {
  const position =
    item.line === undefined
      ? ''
      : item.column === undefined || item.path !== ''
        ? `line ${item.line}`
        : `line ${item.line}, column ${item.column}`;
  if (item.path === '') return position === '' ? 'file' : position;
  return position === '' ? item.path : `${item.path} (${position})`;
}

/**
 * Issues as text for a terminal or a log: one `✗ <path>: <message>` line each, an indented
 * `hint:` line under it, and a summary line, e.g. `3 problems in /etc/tas-chatops/config.yml`.
 */
export function formatIssues(issues: readonly ConfigIssue[], options: FormatOptions = {}): string {
  const kind = options.kind ?? 'problem';
  const mark = kind === 'problem' ? '✗' : '⚠';
  const lines = issues.flatMap((item) => [
    `${mark} ${where(item)}: ${item.message}`,
    ...(item.hint === undefined ? [] : [`    hint: ${item.hint}`]),
  ]);
  const count = `${issues.length} ${kind}${issues.length === 1 ? '' : 's'}`;
  lines.push(options.file === undefined ? count : `${count} in ${options.file}`);
  return lines.join('\n');
}
