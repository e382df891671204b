import type { Writable } from 'node:stream';
import { checkLiveServices } from '../config/cross-check-live-services.js';
import type { Config } from '../config/schema.js';
import { coldPlatformFor } from '../infra/engine-http/cold-platform-for.js';

/** How long `check` waits for each Engine before saying it could not compare the services. */
const LIVE_CHECK_MS = 3000;

/**
 * `tas-chatops check`, once the config has loaded: a summary line, then each environment's
 * configured services against what its platform runs. Always exit code 0: the config is valid,
 * and an Engine out of reach is reported, not fatal. With `redisUrl`, a last line on whether that
 * Redis keeps acknowledged votes through a crash.
 */
export async function runCheck(
  config: Config,
  file: string | undefined,
  out: Writable,
  redisUrl?: string,
): Promise<number> {
  const envs = Object.keys(config.environments);
  out.write(
    `✓ ${file ?? ''}: ${Object.keys(config.people).length} people, ${envs.length} environments (${envs.join(', ')})\n`,
  );
  // A Swarm listing goes through the plain-HTTP reader and never loads dockerode; Compose loads
  // it (and node:http) only now, after the verdict on the file is on the screen.
  const platformFor = coldPlatformFor(withDockerTimeout(config, LIVE_CHECK_MS));
  const live = await checkLiveServices(config, platformFor, LIVE_CHECK_MS);
  for (const line of live) out.write(`${line}\n`);
  if (redisUrl !== undefined) {
    // ioredis loads only here, after everything else is on the screen.
    const { redisDurabilityLine } = await import('../infra/redis/redis-durability-line.js');
    out.write(`${await redisDurabilityLine(redisUrl, LIVE_CHECK_MS)}\n`);
  }
  return 0;
}

/** A short Docker timeout: `check` must not hang where the Engine is out of reach. */
function withDockerTimeout(config: Config, timeout: number): Config {
  const environments = Object.fromEntries(
    Object.entries(config.environments).map(([name, env]) => [
      name,
      { ...env, docker: { ...env.docker, timeout } },
    ]),
  );
  return { ...config, environments };
}
