// The chaos suite's randomness: one seed per run, printed with every failure and settable with
// TAS_CHAOS_SEED, so the same sequence of scenarios, operations and fault instants can be
// replayed. TAS_CHAOS_ITERATIONS lengthens a run (the default is the quick one `npm test` runs).

/** Iterations `npm test` runs; a long run sets TAS_CHAOS_ITERATIONS (e.g. 200). */
export const DEFAULT_ITERATIONS = 24;

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast and good enough to spread fault instants; not for secrets. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name}=${raw} is not a whole number`);
  return value;
}

/** The run's seed (TAS_CHAOS_SEED, else random) and iteration count (TAS_CHAOS_ITERATIONS). */
export function chaosRun(env: NodeJS.ProcessEnv = process.env) {
  const seed =
    positiveInt('TAS_CHAOS_SEED', env.TAS_CHAOS_SEED) ?? Math.floor(Math.random() * 2 ** 31);
  const iterations =
    positiveInt('TAS_CHAOS_ITERATIONS', env.TAS_CHAOS_ITERATIONS) ?? DEFAULT_ITERATIONS;
  return { seed, iterations };
}

/** Each iteration's own generator, so iteration n draws the same numbers whatever ran before. */
export const iterationRng = (seed: number, iteration: number): Rng =>
  seededRng((seed ^ Math.imul(iteration + 1, 0x9e3779b1)) >>> 0);

/**
 * TAS_CHAOS_AOF_LOSS=1: half the Redis SIGKILLs also lose the tail of the AOF, as a host crash
 * under `appendfsync everysec` would (a process SIGKILL loses nothing the kernel has). Off by
 * default while the lifecycle does not yet survive it; the same seed draws the same faults
 * either way.
 */
export const aofLossEnabled = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env.TAS_CHAOS_AOF_LOSS === '1';
