/**
 * Escapes Slack's three control characters, `&` first; nothing else is entity-encoded. Every
 * mention, broadcast (`<!here>`) and link needs a literal `<`, so escaped text can hold none.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Breaks every run of three or more backticks with zero-width spaces, so a line can never close
 * the code block it sits in. The characters stay visible as they were.
 */
export function neutraliseFences(line: string): string {
  return line.replace(/`{3,}/g, (run) => run.split('').join(ZERO_WIDTH_SPACE));
}

/** An inline code span for data text (a file name, a command): escaped, no backtick can end it. */
export function inlineCode(text: string): string {
  return `\`${escapeText(text.replace(/`/g, "'"))}\``;
}

/** Splits one line into escaped pieces of at most `limit` characters, never inside an entity. */
function splitLine(line: string, limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const char of line) {
    const escaped = escapeText(char);
    if (current.length + escaped.length > limit) {
      pieces.push(current);
      current = '';
    }
    current += escaped;
  }
  pieces.push(current);
  return pieces;
}

/**
 * Escapes `raw` and splits it into pieces of at most `limit` characters: at line breaks where
 * possible, inside a line only when the line alone is too long. No character is dropped; the
 * line break between two pieces is implied by their being separate blocks.
 */
export function splitEscaped(raw: string, limit: number): string[] {
  const pieces: string[] = [];
  let current: string | undefined;
  for (const line of raw.split('\n')) {
    const escaped = escapeText(line);
    if (current !== undefined && current.length + 1 + escaped.length <= limit) {
      current += `\n${escaped}`;
      continue;
    }
    if (current !== undefined) pieces.push(current);
    if (escaped.length <= limit) {
      current = escaped;
    } else {
      const parts = splitLine(line, limit);
      pieces.push(...parts.slice(0, -1));
      current = parts.at(-1) ?? '';
    }
  }
  if (current !== undefined) pieces.push(current);
  return pieces;
}
