import type { OptionSpec } from './command-options.js';

export type OptionValue = string | number | boolean;

/** A token the core's tokenizer reads back as exactly `value`. */
function quote(value: string): string {
  if (value !== '' && !/[\s"'“”‘’\\]/.test(value)) return value;
  return `"${value.replace(/[\\"”]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * Native options → the command text the core parses, as if typed: `logs backend --since 15m`.
 * Positionals keep their usage order (a skipped optional one before a given one becomes `""`,
 * so nothing shifts into the wrong place); a positional that looks like a flag goes after `--`.
 */
export function commandText(
  subcommand: string,
  specs: readonly OptionSpec[],
  values: ReadonlyMap<string, OptionValue>,
): string {
  const positionals = specs.filter((s) => s.kind === 'positional');
  const lastGiven = positionals.findLastIndex((s) => values.has(s.name));
  const words = positionals
    .slice(0, lastGiven + 1)
    .map((s) => quote(String(values.get(s.name) ?? '')));
  const flags: string[] = [];
  for (const spec of specs) {
    const value = values.get(spec.name);
    if (spec.kind !== 'flag' || value === undefined || value === false) continue;
    if (value === true) flags.push(`--${spec.source}`);
    else if (String(value).startsWith('-')) flags.push(quote(`--${spec.source}=${String(value)}`));
    else flags.push(`--${spec.source}`, quote(String(value)));
  }
  const ambiguous = words.some((w) => w.startsWith('-'));
  const parts = ambiguous
    ? [subcommand, ...flags, '--', ...words]
    : [subcommand, ...words, ...flags];
  return parts.join(' ');
}
