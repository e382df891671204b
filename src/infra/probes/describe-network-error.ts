/**
 * A connection failure as one line: `ECONNREFUSED 127.0.0.1:18081`, `ENOTFOUND tas.example.com`,
 * `ECONNRESET 10.0.0.5:443 (socket hang up)`. Node errors carry `code`, `address` and `port`
 * (`hostname` for DNS); a wrapping error keeps the original in `cause`.
 */
export function describeNetworkError(error: unknown, fallbackTarget: string): string {
  const inner = field(error, 'cause') ?? error;
  const code = stringField(inner, 'code') ?? stringField(error, 'code');
  const address = stringField(inner, 'address') ?? stringField(inner, 'hostname');
  const port = field(inner, 'port');
  const target =
    address === undefined
      ? fallbackTarget
      : typeof port === 'number' || typeof port === 'string'
        ? `${address}:${String(port)}`
        : address;
  const message = error instanceof Error ? error.message : String(error);
  if (code === undefined) return `${message} (${target})`;
  // Node's messages often repeat code and address (`connect ECONNREFUSED 127.0.0.1:18081`);
  // others (`socket hang up`, `self-signed certificate`) add something, so keep those.
  return message.includes(code) ? `${code} ${target}` : `${code} ${target} (${message})`;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' && found !== '' ? found : undefined;
}
