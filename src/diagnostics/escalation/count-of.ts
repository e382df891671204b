/** `1 failed check`, `3 failed checks`: a count with its noun, singular or plural. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
