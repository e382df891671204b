// The chaos suite: real worker processes, a private Redis and the real swarm, faults at instants
// drawn from one seed. `TAS_CHAOS_SEED` replays a run, `TAS_CHAOS_ITERATIONS` lengthens it.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ensureWorkers } from '../support/chaos-faults.js';
import { checkIteration, newTally } from '../support/chaos-iteration.js';
import { SCENARIOS } from '../support/chaos-scenarios.js';
import { chaosRun, iterationRng } from '../support/chaos-seed.js';
import { startChaosWorld, type ChaosWorld } from '../support/chaos-world.js';

const { seed, iterations } = chaosRun();

describe('the operation lifecycle under faults', () => {
  let world: ChaosWorld;
  beforeAll(async () => {
    world = await startChaosWorld();
    process.stdout.write(
      `chaos: seed ${seed}, ${iterations} iterations (TAS_CHAOS_SEED=${seed})\n`,
    );
  });
  afterAll(async () => {
    await world?.close();
  });

  for (let i = 0; i < iterations; i += 1) {
    const scenario = SCENARIOS[i % SCENARIOS.length];
    if (scenario === undefined) continue;
    describe(`when ${scenario.name}`, () => {
      it(`applies each approved change exactly once and leaves nothing open (iteration ${i + 1})`, async () => {
        const rng = iterationRng(seed, i);
        world.history.reset();
        await ensureWorkers(world, 2);
        const tally = newTally();
        try {
          await scenario.run(world, rng, tally);
          await checkIteration(world, tally);
          if (process.env.TAS_CHAOS_VERBOSE === '1')
            process.stdout.write(`iteration ${i + 1}: ${world.history.lines.join(' | ')}\n`);
        } catch (error) {
          throw new Error(
            `${(error as Error).message}\n\nreplay: TAS_CHAOS_SEED=${seed} (iteration ${i + 1}: ${scenario.name})\n` +
              `history:\n  ${world.history.lines.join('\n  ')}`,
            { cause: error },
          );
        }
      });
    });
  }
});
