import type { StatusSnapshot } from '../src/diagnostics/status/status-snapshot.js';
import { createDockerClient } from '../src/infra/docker/create-docker-client.js';
import { createSwarmPlatform } from '../src/infra/docker/swarm-platform.js';
import { createProber } from '../src/infra/probes/create-prober.js';
import { benchConfigText } from './lib/bench-config.js';
import { startBenchCore } from './lib/bench-core.js';
import { FIXTURE_STACK, type BenchEnv } from './lib/bench-env.js';
import { countDockerCalls, countingProber } from './lib/counting-docker.js';
import type { BenchResult } from './lib/results.js';
import { median, round, timed } from './lib/stats.js';

export interface BurstBenchOptions {
  readonly env: BenchEnv;
  /** Concurrent `/tas status` commands in one burst. */
  readonly burst: number;
  /** Single-versus-burst pairs measured. */
  readonly rounds: number;
}

const NAME = 'burst of 50 status';
const TARGET = 'Docker calls of 50 ≤ of 1';

/**
 * Benchmark 5: `burst` concurrent `/tas status` against a single one, on the fixture stack:
 * Engine API requests (counted on the Docker client's agent, one per HTTP request), probes run, and the
 * wall time until every reply is in.
 */
export async function benchBurst(options: BurstBenchOptions): Promise<BenchResult> {
  const { env } = options;
  const docker = createDockerClient({ host: env.dockerHost, timeoutMs: 30_000 });
  const counter = countDockerCalls(docker);
  const platform = createSwarmPlatform({ docker, stack: FIXTURE_STACK, host: env.dockerHost });
  const probes = countingProber(createProber());
  const bot = await startBenchCore(benchConfigText({ dockerHost: env.dockerHost }), {
    overrides: { platformFor: () => platform, prober: probes.prober },
  });
  const rounds: {
    single: { calls: number; probes: number; ms: number };
    burst: { calls: number; probes: number; ms: number };
  }[] = [];
  const status = async () => {
    const reply = await bot.say('alice', '/tas status');
    if ((reply.data as StatusSnapshot | undefined)?.verdict === undefined)
      throw new Error(`/tas status failed: ${reply.title}`);
  };
  let callNames: readonly string[] = [];
  try {
    await status();
    for (let i = 0; i < options.rounds; i += 1) {
      counter.reset();
      probes.reset();
      const single = await timed(status);
      const singleCounts = { calls: counter.calls.length, probes: probes.count(), ms: single.ms };
      callNames = counter.calls;
      counter.reset();
      probes.reset();
      const burst = await timed(() => Promise.all(Array.from({ length: options.burst }, status)));
      rounds.push({
        single: singleCounts,
        burst: { calls: counter.calls.length, probes: probes.count(), ms: burst.ms },
      });
    }
  } finally {
    await bot.close();
  }
  const most = Math.max(...rounds.map((r) => r.burst.calls));
  const least = Math.min(...rounds.map((r) => r.single.calls));
  const singleMs = median(rounds.map((r) => r.single.ms));
  const burstMs = median(rounds.map((r) => r.burst.ms));
  const met = rounds.every((r) => r.burst.calls <= r.single.calls);
  return {
    name: NAME,
    bot: `${options.burst} at once: ${most} Docker calls, ${round(burstMs)} ms`,
    baseline: `single: ${least} Docker calls, ${round(singleMs)} ms`,
    measure: `calls ${most} vs ${least}; time ×${round(burstMs / singleMs, 2)}`,
    target: TARGET,
    met,
    data: {
      burst: options.burst,
      rounds: rounds.map((r) => ({
        single: { ...r.single, ms: round(r.single.ms) },
        burst: { ...r.burst, ms: round(r.burst.ms) },
      })),
      singleDockerCalls: callNames,
      medianSingleMs: round(singleMs),
      medianBurstMs: round(burstMs),
      burstTimeRatio: round(burstMs / singleMs, 2),
    },
    notes: met
      ? []
      : [
          'a burst made more Engine calls than a single status: the single-flight in createApp does not cover every call a status makes',
        ],
  };
}
