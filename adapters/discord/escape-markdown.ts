/**
 * Discord markdown for data text. Two forms, both shown exactly as the data reads:
 *
 * - `escapeText`: a backslash before every character Discord's parser gives meaning (styling,
 *   links, quotes, headings, and `<` / `@`, so `<@123>`, `<#1>` and `@everyone` stay text even
 *   before `allowed_mentions` is considered). Discord renders `\x` as `x` for any punctuation.
 * - fenced code: verbatim lines. Inside a fence nothing is parsed, so the only way out is a run
 *   of three backticks; a zero-width space between consecutive backticks makes that
 *   impossible while the text still reads the same.
 */
const SPECIAL = /[\\*_~`|<>@#[\]()]/g;
const ZWSP = '\u200b';

export function escapeText(text: string): string {
  return text
    .replace(SPECIAL, (ch) => `\\${ch}`)
    .replace(/^(\s*)([-+])(\s)/gm, '$1\\$2$3')
    .replace(/^(\s*\d+)\.(\s)/gm, '$1\\.$2');
}

/** Breaks every run of backticks, so no line can close (or open) a fence. */
export function defuseBackticks(line: string): string {
  return line.replace(/`(?=`)/g, `\`${ZWSP}`);
}

/** What a fence adds around its lines. */
export const FENCE_OVERHEAD = '```\n\n```'.length;

/** Lines already passed through `defuseBackticks`, fenced. */
export function fence(defused: readonly string[]): string {
  // A fence with nothing but blank lines renders as stray backticks; a zero-width space keeps it a block.
  const body = defused.join('\n');
  return `\`\`\`\n${body.trim() === '' ? ZWSP : body}\n\`\`\``;
}
