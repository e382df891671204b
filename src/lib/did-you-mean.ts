/** Edit distance (Levenshtein), small inputs only: names of services, commands, environments. */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/**
 * Candidates close enough to be what the user meant, best first: a prefix or substring match,
 * or an edit distance within a third of the word's length (`backnd` → `backend`).
 */
export function didYouMean(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase();
  return candidates
    .map((candidate) => {
      const hay = candidate.toLowerCase();
      const score = hay.startsWith(needle) || hay.includes(needle) ? 0 : distance(needle, hay);
      return { candidate, score };
    })
    .filter(({ score }) => score <= Math.max(2, Math.ceil(needle.length / 3)))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, max)
    .map(({ candidate }) => candidate);
}
