import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '../../support/child-process.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../docker/test-swarm.js';
import {
  freePort,
  spawnBot,
  startRedis,
  stop,
  waitForStatus,
  type Running,
} from '../production/process-support.js';
import type { GatewayDelivery } from '../../stand-ins/discord/fake-gateway.js';
import {
  startDiscordStandIn,
  type DiscordStandIn,
  type Member,
} from '../../stand-ins/discord/discord-stand-in.js';

/** The services the test restarts, one approval each. */
export const RESTARTED = ['r1', 'r2', 'r3', 'r4', 'r5'] as const;
export const ALICE: Member = { id: '100000000000000001', username: 'alice' };
export const DAVE: Member = { id: '100000000000000004', username: 'dave' };

function pairConfig(stack: string, ops: string): string {
  return `command: tas
people:
  alice: { discord: "${ALICE.id}" }
  dave: { discord: "${DAVE.id}" }
roles:
  oncall: [alice]
  lead: [dave]
environments:
  ops:
    platform: swarm
    stack: ${stack}
    docker: { host: "${testDockerHost()}" }
    services: [${RESTARTED.join(', ')}]
    channels: { ops: { discord: "${ops}" } }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
`;
}

interface Resources {
  standIn?: DiscordStandIn;
  redis?: ChildProcess;
  readonly bots: Running[];
  dir?: string;
  factory?: ReturnType<typeof serviceFactory>;
}

async function release(r: Resources): Promise<void> {
  for (const bot of r.bots) await stop(bot, 'SIGKILL');
  await r.standIn?.close();
  if (r.redis !== undefined) await stopChild(r.redis);
  await r.factory?.removeAll();
  if (r.dir !== undefined) rmSync(r.dir, { recursive: true, force: true });
}

/**
 * Two real `start` processes with one Discord token on one private Redis and the swarm, against
 * the Discord stand-in handing each interaction to every gateway session or to one in turn.
 * Both are started together, as a stack deploy of two replicas does.
 */
export async function startDiscordPair(delivery: GatewayDelivery) {
  const r: Resources = { bots: [] };
  try {
    return await buildPair(r, delivery);
  } catch (error) {
    await release(r);
    throw error;
  }
}

async function buildPair(r: Resources, delivery: GatewayDelivery) {
  const docker = await connectTestSwarm();
  const stack = uniqueStack();
  r.factory = serviceFactory(docker);
  for (const name of RESTARTED) await r.factory.create(`${stack}_${name}`);
  const standIn = await startDiscordStandIn({
    channels: ['ops'],
    heartbeatIntervalMs: 1500,
    gatewayDelivery: delivery,
  });
  r.standIn = standIn;
  r.dir = mkdtempSync(join(tmpdir(), 'tas-ha-discord-'));
  mkdirSync(join(r.dir, 'redis'));
  const redisPort = await freePort();
  r.redis = await startRedis(join(r.dir, 'redis'), redisPort);
  writeFileSync(join(r.dir, 'config.yml'), pairConfig(stack, standIn.channelId('ops')));
  const env = (port: number): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    TAS_CHATOPS_CONFIG: join(r.dir ?? '', 'config.yml'),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DISCORD_TOKEN: standIn.token,
    DISCORD_APPLICATION_ID: standIn.applicationId,
    DISCORD_GUILD_ID: standIn.guildId,
    DISCORD_API_URL: standIn.apiUrl,
  });
  const ports = [await freePort(), await freePort()];
  for (const port of ports) r.bots.push(spawnBot(['start'], env(port)));
  for (const port of ports) await waitForStatus(port, '/health/ready', 200, 120_000);
  return {
    standIn,
    bots: r.bots,
    /** Stops bot `index` (SIGTERM) and starts it again; resolves once it is ready. */
    async restartBot(index: number): Promise<void> {
      const port = ports[index] ?? 0;
      await stop(r.bots[index]);
      r.bots[index] = spawnBot(['start'], env(port));
      await waitForStatus(port, '/health/ready', 200, 120_000);
    },
    /** Ends bot `index` at once (SIGKILL), as a crashed host would. */
    kill: (index: number): Promise<void> => stop(r.bots[index], 'SIGKILL'),
    async forceUpdate(service: string): Promise<number> {
      const spec = (await docker.getService(`${stack}_${service}`).inspect()) as {
        Spec: { TaskTemplate: { ForceUpdate?: number } };
      };
      return spec.Spec.TaskTemplate.ForceUpdate ?? 0;
    },
    close: () => release(r),
  };
}

export type DiscordPair = Awaited<ReturnType<typeof startDiscordPair>>;
