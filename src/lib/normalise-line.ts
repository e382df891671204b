// One pass over the text; the first branch that matches at a position wins, so the specific shapes
// (a timestamp, a UUID, an address with its port) come before the plain number they contain.
const VOLATILE = new RegExp(
  [
    String.raw`(?<time>\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?|\b\d\d:\d\d:\d\d(?:[.,]\d+)?)`,
    String.raw`(?<uuid>\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)`,
    String.raw`(?<ip>\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\[[0-9a-f:]*:[0-9a-f:]*\](?::\d+)?)`,
    String.raw`(?<hex>\b(?:0x)?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b)`,
    String.raw`(?<number>\d+(?:\.\d+)*)`,
  ].join('|'),
  'gi',
);

const PLACEHOLDER: readonly (readonly [group: string, placeholder: string])[] = [
  ['time', '<time>'],
  ['uuid', '<uuid>'],
  ['ip', '<ip>'],
  ['hex', '<hex>'],
];

/**
 * The collapse key of a log line: timestamps, UUIDs, hex ids (8+ digits), IP addresses with their
 * ports and numbers become placeholders, whitespace runs become one space. So
 * `connect ECONNREFUSED 10.0.0.1:5432 after 123ms` and `… 10.0.0.2:5432 after 87ms` share a key.
 */
export function normaliseLine(text: string): string {
  return text.replace(VOLATILE, placeholderFor).replace(/\s+/g, ' ').trim();
}

function placeholderFor(...args: unknown[]): string {
  const groups = args.at(-1) as Partial<Record<string, string>>;
  for (const [group, placeholder] of PLACEHOLDER) {
    if (groups[group] !== undefined) return placeholder;
  }
  return '<n>';
}
