import { err, ok, type Result } from '../core/result.js';

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * `15m`, `2h`, `90s`, `1h30m`, `500ms` → milliseconds. Refused beyond `max` when given, and
 * always beyond what a millisecond count holds exactly (a Date cannot go that far anyway).
 */
export function parseDuration(text: string, bounds: { max?: number } = {}): Result<number> {
  const trimmed = text.trim();
  // 64 characters hold any sane combination; longer is a typo or a probe.
  if (trimmed.length > 64 || !/^(\d+(ms|s|m|h|d))+$/.test(trimmed)) {
    return err(`"${text}" is not a duration; use e.g. 30s, 15m, 2h, 1d or 1h30m`);
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(amount) * (UNITS[unit ?? 's'] ?? 0);
  }
  if (!(total > 0)) return err(`"${text}" must be longer than zero`);
  const max = Math.min(bounds.max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (total > max) return err(`"${text}" is too long; at most ${formatDuration(max)}`);
  return ok(total);
}

/** 61_000 → `1m 1s`; short, for chat. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const amount = Math.floor(rest / size);
    if (amount > 0) parts.push(`${amount}${unit}`);
    rest -= amount * size;
  }
  return parts.slice(0, 2).join(' ');
}
