import { err, ok, type Result } from '../result.js';

/**
 * Splits command text the way a shell user expects: whitespace separates, single and double
 * quotes group (`"users see 502"`), a backslash escapes whitespace, a quote or a backslash. Any
 * other backslash is kept, so `--grep "\d+ ms"` reaches the pattern as written. Slack and Discord
 * turn straight quotes into typographic ones on some clients, so those group too.
 */
export function tokenize(text: string): Result<string[]> {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: string | undefined;
  const closing: Readonly<Record<string, string>> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (quote !== undefined) {
      if (ch === closing[quote] || (quote === '“' && ch === '"')) quote = undefined;
      else if (escapes(text, i)) current += text[++i] ?? '';
      else current += ch;
    } else if (ch in closing) {
      quote = ch;
      inToken = true;
    } else if (escapes(text, i)) {
      current += text[++i] ?? '';
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote !== undefined) return err(`unclosed quote ${quote}`);
  if (inToken) tokens.push(current);
  return ok(tokens);
}

const ESCAPABLE = /[\s\\"'“”‘’]/;

/** A backslash at `i` that escapes the next character (see `tokenize`). */
function escapes(text: string, i: number): boolean {
  return text[i] === '\\' && ESCAPABLE.test(text[i + 1] ?? '');
}
