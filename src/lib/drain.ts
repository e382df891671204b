/**
 * Waits for work in flight, at most `ms`: a shutdown must not hang on an answer stuck behind a
 * silent dependency. Resolves with how many are still running then (they are left to finish or
 * fail on their own); failed work counts as done.
 */
export async function drain(work: readonly Promise<unknown>[], ms: number): Promise<number> {
  if (work.length === 0) return 0;
  let pending = work.length;
  const settled = work.map((w) => w.then(noop, noop).finally(() => (pending -= 1)));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.all(settled), timeout]);
  clearTimeout(timer);
  return pending;
}

const noop = (): void => undefined;
