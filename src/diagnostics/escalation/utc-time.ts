/** `2026-11-22T10:10:52.070Z` → `2026-11-22 10:10:52 UTC`; anything unparsable comes back as it is. */
export function utcTime(at: string | Date): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
