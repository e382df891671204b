import type { ParsedLine } from './log-line.js';

/**
 * One excerpt line: its time, the level of a JSON line (a text line shows its own), the message
 * (already redacted) on one line, then cut at `maxChars`. Redaction came first: half a token no
 * longer looks like one.
 */
export function formatLogLine(line: ParsedLine, maxChars: number): string {
  const time = line.time === undefined ? '' : `${line.time.toISOString()} `;
  const level =
    line.format === 'json' && line.level !== undefined ? `${line.level.toUpperCase()} ` : '';
  const message = line.message.replace(/\s*\r?\n\s*/g, ' ⏎ ');
  return cut(`${time}${level}${message}`, maxChars);
}

/** At most `maxChars` characters, the last one an ellipsis when something was cut. */
export function cut(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(0, maxChars - 1))}…`;
}
