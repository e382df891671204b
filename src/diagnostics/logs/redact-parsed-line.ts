import { createLineStreamRedactor } from '../../lib/redact-line-stream.js';
import type { Redactor } from '../../lib/redact.js';
import type { ParsedLine } from './log-line.js';

/**
 * Characters taken off the end of a cut line after redaction. A secret that crosses the line cap
 * is only partly in the kept text, where no pattern and no exact value finds it; it lies within
 * the last `REDACTION_OVERLAP` characters (for secrets up to that long), so those go too. A secret
 * that starts earlier and ends before the cap was redacted whole.
 */
export const REDACTION_OVERLAP = 4096;

/**
 * Redacts each line of one log read, once, before anything else looks at it: grep, levels, the
 * runbook patterns, collapse keys, the excerpt and its samples all see the redacted text only, so
 * no count or match can tell what a secret was. The message and a JSON line's raw text each go
 * through a line-stream redactor of their own, which blanks a private key logged line by line.
 * A line cut at the cap loses its last `REDACTION_OVERLAP` characters after redaction and says
 * how much is missing.
 *
 * Only a grep reads a JSON line's raw text (fields beyond the message); redacting it costs as
 * much again as the rest of the scan, so without `raw: true` it is not kept at all: `raw` then
 * holds the redacted message.
 */
export function createParsedLineRedactor(
  redact: Redactor,
  needs: { readonly raw: boolean },
): (line: ParsedLine) => ParsedLine {
  const redactMessage = createLineStreamRedactor(redact);
  const redactRaw = createLineStreamRedactor(redact);
  return (line) => {
    // A text line's message is its raw text; a JSON line's is decoded from it (`\u0041` escapes
    // and all), so it is redacted on its own.
    let message = redactMessage(line.message);
    let raw = line.format === 'json' && needs.raw ? redactRaw(line.raw) : message;
    if (line.dropped !== undefined) {
      const same = raw === message;
      message = finishCut(message, line.dropped);
      raw = same ? message : finishCut(raw, line.dropped);
    }
    // Assigned, not spread: object spread costs microseconds per line in V8, and this runs per line.
    const redacted: { -readonly [K in keyof ParsedLine]: ParsedLine[K] } = {
      stream: line.stream,
      message,
      raw,
      format: line.format,
      bytes: line.bytes,
    };
    if (line.time !== undefined) redacted.time = line.time;
    if (line.level !== undefined) redacted.level = line.level;
    if (line.dropped !== undefined) redacted.dropped = line.dropped;
    if (line.task !== undefined) redacted.task = line.task;
    return redacted;
  };
}

function finishCut(text: string, dropped: number): string {
  const keep = Math.max(0, text.length - REDACTION_OVERLAP);
  const more = dropped + Buffer.byteLength(text.slice(keep));
  return `${text.slice(0, keep)} … [${more} more bytes dropped]`;
}
