// Characters no credential shape runs across unquoted: a token, a URL or a key=value value
// ends at one of them.
const SEPARATOR = /[\s"'`,;{}[\]()<>]/;
const LONGEST_SPLIT = 1024;

/**
 * At most `max` characters of `text`, cut where a token ends, never inside one: a cut through a
 * secret keeps a prefix that no longer looks like a secret, so redaction later finds nothing.
 * The token the cut would split is left out whole, unless more than 1024 of its characters
 * would be kept.
 * Text redacted before it is cut needs no such care; this is for cuts made before redaction can
 * run, such as reading at most so many bytes of a response.
 */
export function cutAtTokenBoundary(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = Math.max(0, max);
  let end = cut;
  while (end > 0 && !isSeparator(text.charAt(end)) && !isSeparator(text.charAt(end - 1))) {
    end -= 1;
    // A kept part this long is recognised by the open-ended shapes (or is no credential at all):
    // keep it rather than drop a whole page of, say, base64.
    if (cut - end >= LONGEST_SPLIT) return text.slice(0, cut);
  }
  return text.slice(0, end);
}

function isSeparator(char: string): boolean {
  return SEPARATOR.test(char);
}
