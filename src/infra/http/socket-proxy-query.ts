export type UpdateQueryResult =
  | { readonly ok: true; readonly version: number; readonly rollback: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * The query string of `POST /services/{id}/update`, allow-listed: `version=<digits>` exactly
 * once, and `rollback=previous` at most once. Spelt literally, with no percent-encoding, `+`,
 * `;` or empty pair, so no URL parser downstream can read another parameter into it. Anything
 * else the Engine would act on is refused: `registryAuthFrom` hands the update another spec's
 * registry credentials, `rollback=none` or unknown keys change what gets applied.
 */
export function parseUpdateQuery(query: string): UpdateQueryResult {
  let version: number | undefined;
  let rollback = false;
  for (const pair of query === '' ? [] : query.split('&')) {
    const digits = /^version=(\d{1,15})$/.exec(pair)?.[1];
    if (digits !== undefined && version === undefined) version = Number(digits);
    else if (pair === 'rollback=previous' && !rollback) rollback = true;
    else
      return {
        ok: false,
        reason: `the query parameter ${JSON.stringify(pair.slice(0, 80))} is not allowed`,
      };
  }
  if (version === undefined) return { ok: false, reason: 'an update needs ?version=<index>' };
  return { ok: true, version, rollback };
}
