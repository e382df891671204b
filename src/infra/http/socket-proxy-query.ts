export type UpdateQueryResult =
  { readonly ok: true; readonly version: number } | { readonly ok: false; readonly reason: string };

/**
 * The query string of `POST /services/{id}/update`, allow-listed: `version=<digits>` exactly
 * once and nothing else, spelt literally, with no percent-encoding, `+`, `;` or empty pair, so
 * no URL parser downstream can read another parameter into it. Everything else the Engine would
 * act on is refused: `registryAuthFrom` hands the update another spec's registry credentials,
 * unknown keys change what gets applied, and `rollback=previous` swaps in the PreviousSpec, a
 * spec nobody sent. The bot never asks for that toggle: it rolls back by an ordinary update to
 * the image it recorded when the rollback was planned, which the proxy checks like any other.
 */
export function parseUpdateQuery(query: string): UpdateQueryResult {
  let version: number | undefined;
  for (const pair of query === '' ? [] : query.split('&')) {
    const digits = /^version=(\d{1,15})$/.exec(pair)?.[1];
    if (digits !== undefined && version === undefined) version = Number(digits);
    else if (pair.startsWith('rollback='))
      return {
        ok: false,
        reason: `the query parameter ${JSON.stringify(pair.slice(0, 80))} is not allowed: the bot rolls back by an explicit update to the image recorded at plan time, never by Swarm's rollback`,
      };
    else
      return {
        ok: false,
        reason: `the query parameter ${JSON.stringify(pair.slice(0, 80))} is not allowed`,
      };
  }
  if (version === undefined) return { ok: false, reason: 'an update needs ?version=<index>' };
  return { ok: true, version };
}
