// One pass over the text; the first branch that matches at a position wins, so the specific shapes
// (a timestamp, a UUID, an address with its port) come before the plain number they contain.
// Numbered groups, not named ones: a named group builds an object per match, and a line can hold
// a dozen numbers.
const VOLATILE = new RegExp(
  [
    String.raw`(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?|\b\d\d:\d\d:\d\d(?:[.,]\d+)?)`,
    String.raw`(\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)`,
    String.raw`(\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\[[0-9a-f:]*:[0-9a-f:]*\](?::\d+)?)`,
    String.raw`(\b(?:0x)?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b)`,
  ].join('|') + String.raw`|\d+(?:\.\d+)*`,
  'gi',
);

/**
 * The collapse key of a log line: timestamps, UUIDs, hex ids (8+ digits), IP addresses with their
 * ports and numbers become placeholders, whitespace runs become one space. So
 * `connect ECONNREFUSED 10.0.0.1:5432 after 123ms` and `… 10.0.0.2:5432 after 87ms` share a key.
 */
export function normaliseLine(text: string): string {
  return text.replace(VOLATILE, placeholderFor).replace(/\s+/g, ' ').trim();
}

function placeholderFor(
  _match: string,
  time?: string,
  uuid?: string,
  ip?: string,
  hex?: string,
): string {
  if (time !== undefined) return '<time>';
  if (uuid !== undefined) return '<uuid>';
  if (ip !== undefined) return '<ip>';
  if (hex !== undefined) return '<hex>';
  return '<n>';
}
