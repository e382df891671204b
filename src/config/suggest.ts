import { didYouMean } from '../lib/did-you-mean.js';

/** `did you mean "bob"? Otherwise <otherwise>`, or just `otherwise` when nothing is close. */
export function suggest(name: string, candidates: readonly string[], otherwise: string): string {
  const close = didYouMean(name, candidates, 1)[0];
  return close === undefined ? otherwise : `did you mean "${close}"? Otherwise ${otherwise}`;
}
