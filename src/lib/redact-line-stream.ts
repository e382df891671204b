import type { Redactor } from './redactor.js';

const KEY_MARK = '[REDACTED:private-key]';

// A 4096-bit RSA key is about 50 lines of 64 characters; twice that is room for headers
// (`Proc-Type`, `DEK-Info`) and blank lines. Past it, the END line was lost (a cut log, a crashed
// writer) and swallowing more would hide the ordinary lines that follow.
const MAX_KEY_LINES = 100;

const BEGIN = /-----BEGIN [A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const END = /-----END [A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * Redacts a log one line at a time, remembering across lines whether it is inside a PEM private
 * key: a key printed line by line shows its BEGIN line to the single-line patterns, and every
 * line after it is only base64. After a BEGIN line without its END, each following line becomes
 * `[REDACTED:private-key]` up to and including the END line (at most 100 lines).
 */
export function createLineStreamRedactor(redact: Redactor): (line: string) => string {
  let inside = false;
  let linesInside = 0;
  return (line) => {
    if (inside) {
      linesInside += 1;
      const end = endOf(line, 0);
      if (end !== undefined) {
        inside = opensKey(line, end);
        linesInside = 0;
        return KEY_MARK;
      }
      if (linesInside <= MAX_KEY_LINES) return KEY_MARK;
      inside = false;
      linesInside = 0;
    }
    inside = opensKey(line, 0);
    return redact(line);
  };
}

/** True when the last BEGIN of a private key at or after `from` has no END after it. */
function opensKey(line: string, from: number): boolean {
  if (!line.includes('-----BEGIN ', from)) return false;
  let lastBegin: number | undefined;
  BEGIN.lastIndex = from;
  for (let match = BEGIN.exec(line); match !== null; match = BEGIN.exec(line)) {
    lastBegin = BEGIN.lastIndex;
  }
  return lastBegin !== undefined && endOf(line, lastBegin) === undefined;
}

/** Index just past the first END of a private key at or after `from`. */
function endOf(line: string, from: number): number | undefined {
  if (!line.includes('-----END ', from)) return undefined;
  END.lastIndex = from;
  const match = END.exec(line);
  return match === null ? undefined : END.lastIndex;
}
