/**
 * JSON with object keys sorted (by UTF-16 code unit, recursively), no whitespace, so equal
 * data always gives equal text whatever order its keys were written in. Otherwise it follows
 * `JSON.stringify`: `toJSON` is honoured, `undefined` members are dropped (`null` in arrays).
 * Written out rather than done with a replacer because JavaScript keeps integer-like keys
 * (`"9"`, `"10"`) in numeric order whatever order they are inserted in.
 */
export function canonicalJson(value: unknown): string {
  return encode(value) ?? 'null';
}

function encode(input: unknown): string | undefined {
  const value = hasToJson(input) ? input.toJSON() : input;
  // `JSON.stringify` is typed `string` but gives `undefined` for undefined, functions, symbols.
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => encode(item) ?? 'null').join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .flatMap((key) => {
      const encoded = encode(record[key]);
      return encoded === undefined ? [] : [`${JSON.stringify(key)}:${encoded}`];
    });
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}
