/** A credential shape an operator adds in the config: `redact: { patterns: [...] }`. */
export interface RedactPatternConfig {
  /** Shown in the marker: `[REDACTED:<name>]`. */
  readonly name: string;
  /** A JavaScript regular expression source. A named group `secret` limits the marker to it. */
  readonly regex: string;
  /** `true` to match regardless of letter case. */
  readonly ignoreCase?: boolean;
}

/** A compiled operator pattern, ready for `createRedactor`. */
export interface ExtraPattern {
  readonly marker: string;
  readonly pattern: RegExp;
}

/** Why an operator pattern cannot be used, in words for a config finding. */
export function redactPatternProblem(config: RedactPatternConfig): string | undefined {
  let pattern: RegExp;
  try {
    pattern = new RegExp(config.regex, config.ignoreCase === true ? 'i' : '');
  } catch (error) {
    // V8 repeats the pattern in its message; keep only the reason ("Unterminated group").
    const reason = (error as Error).message.replace(
      /^Invalid regular expression: \/.*\/[a-z]*: /s,
      '',
    );
    return `not a valid regular expression: ${reason}`;
  }
  // A pattern that matches nothing at all would put a marker between every two characters.
  if (new RegExp(`^(?:${pattern.source})$`, pattern.flags).test('')) {
    return 'matches the empty text; it must match at least one character';
  }
  return undefined;
}

/**
 * Compiles operator patterns (already checked at config load: an invalid one throws here).
 * Each runs in its own pass after the built-in catalogue.
 */
export function compileExtraPatterns(configs: readonly RedactPatternConfig[]): ExtraPattern[] {
  return configs.map((config) => {
    const problem = redactPatternProblem(config);
    if (problem !== undefined) throw new Error(`redact pattern ${config.name}: ${problem}`);
    // `d` gives the indices of the `secret` group; `g` finds every occurrence.
    const flags = `dg${config.ignoreCase === true ? 'i' : ''}`;
    return { marker: `[REDACTED:${config.name}]`, pattern: new RegExp(config.regex, flags) };
  });
}

/** Replaces every match of one operator pattern (or only its `secret` group) with its marker. */
export function applyExtraPattern(text: string, extra: ExtraPattern): string {
  const { pattern, marker } = extra;
  pattern.lastIndex = 0;
  let out = '';
  let from = 0;
  let changed = false;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    const [start, end] = match.indices?.groups?.secret ?? [match.index, pattern.lastIndex];
    if (start < from) continue;
    out += text.slice(from, start) + marker;
    from = end;
    changed = true;
  }
  return changed ? out + text.slice(from) : text;
}
