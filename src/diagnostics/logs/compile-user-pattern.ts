import { RE2JS, RE2JSSyntaxException } from 're2js';
import { err, ok, type Result } from '../../core/result.js';
import type { TextPattern } from './text-pattern.js';

/** Longer patterns are refused: a chat command has no use for them. */
export const MAX_PATTERN_CHARS = 200;
/**
 * RE2's own measure of a pattern's cost; matching time grows with it (`(\w+\s*){1000}` is 6002
 * and runs ~10× slower per line than a literal). 2000 still admits `[a-z]{1000}`.
 */
export const MAX_PROGRAM_SIZE = 2000;

const SYNTAX = 'patterns use RE2 syntax, which runs in time linear in the log';

// A pattern of letters, digits, spaces and punctuation that means nothing to RE2: a substring.
const LITERAL = /^[A-Za-z0-9 !"#%&',\-/:;<=>@_`~]+$/;

/**
 * A pattern typed by a chat user → a case-insensitive TextPattern that runs in time linear in the
 * text, whatever the pattern: RE2 semantics (re2js), no backtracking. What RE2 cannot express
 * (lookaround, backreferences) is refused with the reason. A pattern of ASCII characters without
 * any metacharacter is searched for as a lower-cased substring: the same answer (but for Unicode
 * folds such as ſ ~ s), several times faster than re2js, and linear too.
 */
export function compileUserPattern(source: string): Result<TextPattern> {
  if (source.length === 0) return err('the pattern is empty');
  if (source.length > MAX_PATTERN_CHARS)
    return err(
      `the pattern has ${source.length} characters; at most ${MAX_PATTERN_CHARS} are accepted`,
    );
  if (LITERAL.test(source)) return ok(substringPattern(source));
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) return err(explain(source, error));
    throw error;
  }
  if (compiled.programSize() > MAX_PROGRAM_SIZE)
    return err(
      `"${source}" is too complex (RE2 program size ${compiled.programSize()}, at most ${MAX_PROGRAM_SIZE}); use smaller repeat counts`,
    );
  return ok({ test: (text) => compiled.test(text), source });
}

function substringPattern(source: string): TextPattern {
  const needle = source.toLowerCase();
  return { test: (text) => text.toLowerCase().includes(needle), source };
}

// RE2's parser has already skipped escapes and classes, so what it stopped at is exact: `\(?=`
// is an escaped parenthesis, not a lookahead.
function explain(source: string, error: RE2JSSyntaxException): string {
  const at = error.getPattern() ?? '';
  if (/^\(\?<?[=!]/.test(at))
    return `lookaround such as (?=…), (?!…), (?<=…) or (?<!…) is not supported: ${SYNTAX}`;
  if (/^\\(?:[1-9]|k)/.test(at))
    return `backreferences such as \\1 or \\k<name> are not supported: ${SYNTAX}`;
  return `"${source}" is not a valid pattern (${error.getDescription()}${at === '' || at.startsWith('(?i)') ? '' : `: ${at}`}); ${SYNTAX}`;
}
