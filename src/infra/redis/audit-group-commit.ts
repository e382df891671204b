interface Waiting<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: items that arrive while a commit is in flight go together in the next one,
 * at most `maxBatch` at a time, in arrival order. `commit` answers one result per item, in
 * order; if it throws, every item of that batch is rejected with the error.
 *
 * Why: with compare-and-append, a process that wins the tail and sends its next entry the
 * moment the answer arrives keeps winning, and its peers starve; a process that sends its
 * whole backlog in one go leaves the next round to them.
 */
export function groupCommit<I, O>(
  commit: (items: readonly I[]) => Promise<readonly O[]>,
  maxBatch: number,
): (item: I) => Promise<O> {
  const queue: Waiting<I, O>[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const results = await commit(batch.map((waiting) => waiting.item));
        batch.forEach((waiting, i) => waiting.resolve(results[i] as O));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    running = false;
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // drain() never rejects: each batch's failure goes to that batch's callers.
      if (!running) void drain();
    });
}
