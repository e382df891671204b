const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * One pino JSON record as the single line a person at the console reads: level, message and,
 * for a failure, the error's own message. The whole record stays in the log file.
 */
export function briefLogLine(record: string): string {
  let parsed: { level?: unknown; msg?: unknown; err?: { message?: unknown } };
  try {
    parsed = JSON.parse(record) as typeof parsed;
  } catch {
    return `${oneLine(record)}\n`;
  }
  const level = typeof parsed.level === 'number' ? (LEVEL_NAMES[parsed.level] ?? 'log') : 'log';
  const message = typeof parsed.msg === 'string' ? oneLine(parsed.msg) : '';
  const cause = typeof parsed.err?.message === 'string' ? oneLine(parsed.err.message) : '';
  const detail = cause !== '' && !message.includes(cause) ? ` (${cause})` : '';
  return `${level}: ${message}${detail}\n`;
}
