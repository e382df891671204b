/** The wait of `within` ended before the work did (the work itself may still finish). */
export class DeadlinePassedError extends Error {
  override readonly name = 'DeadlinePassedError';
}

/** `work`, or a rejection once `ms` have passed (the work itself goes on; only the wait ends). */
export function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlinePassedError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
