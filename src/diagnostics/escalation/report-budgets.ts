import { cut } from '../logs/format-log-line.js';

/**
 * Characters each part of the report may take. Every section has its own share, so one noisy
 * service or a huge probe body can only fill its own part; the whole Markdown report stays
 * under ~100 KB, which every chat platform takes as a file.
 */
export const REPORT_BUDGETS = {
  /** User-given texts: description, steps to reproduce, affected user, case id. */
  userText: 2_000,
  checklist: 8_000,
  status: 12_000,
  probes: 8_000,
  /** Per probe body, inside `probes`. */
  probeBody: 1_000,
  /** All log sections together; split evenly between the services shown. */
  logs: 48_000,
  /** No service's share goes below this (fewer services are shown instead). */
  logsPerServiceMin: 4_000,
  logServicesMax: 8,
  /** Per excerpt line and per repeated-line sample. */
  logLine: 400,
  changes: 6_000,
  handling: 4_000,
  /** Rows kept per list: failed tasks per service, operations, open requests. */
  failedTasks: 5,
  operations: 10,
  openOperations: 10,
} as const;

/** The newest lines (the end of the list) whose total length fits `budget`. */
export function fitNewest(
  lines: readonly string[],
  budget: number,
): { lines: string[]; omitted: number } {
  const kept: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] ?? '';
    if (used + line.length + 1 > budget) break;
    kept.unshift(line);
    used += line.length + 1;
  }
  return { lines: kept, omitted: lines.length - kept.length };
}

/** Text cut to `budget` characters at a line break where possible, saying how much was left out. */
export function fitText(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const note = `\n\n_… ${(text.length - budget).toLocaleString('en-US')} more characters left out: this section keeps within ${budget.toLocaleString('en-US')}._\n`;
  const room = Math.max(0, budget - note.length);
  const head = text.slice(0, room);
  const lastBreak = head.lastIndexOf('\n');
  const kept = lastBreak > room / 2 ? head.slice(0, lastBreak) : head;
  const fence = openFence(kept);
  return `${kept}${fence === undefined ? '' : `\n${fence}`}${note}`;
}

/** The fence of a code block `text` leaves open (CommonMark: closed by a run at least as long). */
function openFence(text: string): string | undefined {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const run = /^(`{3,})/.exec(line)?.[1];
    if (run === undefined) continue;
    if (open === undefined) open = run;
    else if (run.length >= open.length && line.trim() === run) open = undefined;
  }
  return open;
}

/** One user-given text, cut to the user-text budget. */
export const fitUserText = (text: string): string => cut(text, REPORT_BUDGETS.userText);
