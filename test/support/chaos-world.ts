// The world one chaos test file runs in: a stack of its own on the real swarm, a private Redis
// (AOF, fsync every second) it may SIGKILL, the bot's front half in-process (dispatch, approval
// cards, notification delivery, no workers) and two REAL worker processes it may SIGKILL.
// Every process here is ours and is ended by its pid.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { Redis } from 'ioredis';
import { consoleEvent } from '../../adapters/console/console-event.js';
import { createApp, type App } from '../../src/app/create-app.js';
import { readEnvOptions } from '../../src/config/env-options.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Reply } from '../../src/core/reply.js';
import { captureLogger } from '../fakes/capture-logger.js';
import { fakeChatDelivery } from '../fakes/fake-chat-delivery.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../integration/docker/test-swarm.js';
import { startChild, stopChild } from './child-process.js';
import { recordServiceEvents } from './chaos-engine.js';
import { startChaosRedis } from './chaos-redis.js';
import { startKillOnUpdate, type KillOnUpdate } from './kill-on-update.js';
import { configText } from './ops-harness.js';

/** `stop` needs two approvers (the double-click scenario); `scale` expires soon (the expiry one). */
export const CHAOS_POLICY = `
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      scale: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 6s }
      stop: { request: [oncall, lead], approve: [lead], approvals: 2, expires: 15m }
      start: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
      rollback: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }`;

export const CHAOS_SERVICES = ['backend-cron', 'backend', 'frontend'] as const;
export type ChaosService = (typeof CHAOS_SERVICES)[number];

const WORKER = ['--import', 'tsx', 'test/support/worker-process.ts'];
const TIMINGS = { convergeTimeoutMs: 90_000, settleMs: 1500, pollMs: 250 };

/** What happened, in order, with milliseconds since the iteration began: printed on failure. */
export function chaosHistory() {
  let start = Date.now();
  const lines: string[] = [];
  return {
    lines,
    note: (line: string) => lines.push(`+${String(Date.now() - start).padStart(6)}ms ${line}`),
    reset() {
      start = Date.now();
      lines.length = 0;
    },
  };
}
export type ChaosHistory = ReturnType<typeof chaosHistory>;

async function frontHalf(stack: string, redisUrl: string, prefix: string) {
  const loaded = parseConfig(configText(stack, [...CHAOS_SERVICES], CHAOS_POLICY), {});
  if (!loaded.ok) throw new Error(`chaos config: ${JSON.stringify(loaded.error)}`);
  const envOptions = readEnvOptions({ REDIS_URL: redisUrl });
  if (!envOptions.ok) throw new Error(`chaos env: ${JSON.stringify(envOptions.error)}`);
  const { delivery, delivered } = fakeChatDelivery('console');
  const { log } = captureLogger();
  const core: App = await createApp({
    loaded: loaded.value,
    envOptions: envOptions.value,
    log,
    deliveries: [delivery],
    prefix,
    timings: TIMINGS,
    lockDurationMs: 3000,
  });
  core.startDelivery();
  return { core, delivered };
}

/** Starts the world; `close` ends every process and removes every service it made. */
export async function startChaosWorld() {
  const docker: Docker = await connectTestSwarm();
  const stack = uniqueStack();
  const factory = serviceFactory(docker);
  for (const name of CHAOS_SERVICES) {
    await factory.create(`${stack}_${name}`, {
      replicas: 1,
      script: `trap "exit 0" TERM; echo "${name} up"; while true; do sleep 1; done`,
    });
  }
  const engineEvents = await recordServiceEvents(docker, stack);
  const redis = await startChaosRedis();
  const prefix = `chaos-${randomUUID().slice(0, 8)}`;
  const { core, delivered } = await frontHalf(stack, redis.url, prefix);
  const inspector = new Redis(redis.url, { maxRetriesPerRequest: null });
  inspector.on('error', () => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'tas-chaos-'));
  const history = chaosHistory();
  const workers = workerPool(stack, prefix, redis.url, dir, history);
  return {
    docker,
    stack,
    engineEvents,
    prefix,
    redis,
    inspector,
    core,
    delivered,
    history,
    workers,
    /** A command as `person` types it in the ops channel; approval cards are posted as in chat. */
    async say(person: string, text: string): Promise<Reply> {
      const { reply } = await core.host.dispatch(consoleEvent(text, person, 'ops'));
      history.note(`${person}: ${text} → ${reply.title}`);
      return reply;
    },
    serviceName: (service: string) => `${stack}_${service}`,
    async close() {
      await workers.stopAll();
      await core.close();
      inspector.disconnect();
      await redis.close();
      await factory.removeAll();
      engineEvents.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type ChaosWorld = Awaited<ReturnType<typeof startChaosWorld>>;

interface Worker {
  readonly child: ChildProcess;
  /** Its own Engine proxy: armed, it SIGKILLs this worker once the Engine accepted an update. */
  readonly proxy: KillOnUpdate;
}

/** The worker processes, each talking to the Engine through a kill-on-update proxy of its own. */
function workerPool(
  stack: string,
  prefix: string,
  redisUrl: string,
  dir: string,
  history: ChaosHistory,
) {
  const running = new Map<ChildProcess, Worker>();
  const kill = async (child: ChildProcess, why: string): Promise<void> => {
    const worker = running.get(child);
    running.delete(child);
    await stopChild(child, 'SIGKILL');
    history.note(`worker ${String(child.pid)} SIGKILLed ${why}`);
    await worker?.proxy.close();
  };
  return {
    running,
    async start(): Promise<ChildProcess> {
      // The proxy must exist before the worker (its address is in the worker's config).
      const self: { child?: ChildProcess } = {};
      const proxy = await startKillOnUpdate({
        armed: false,
        kill: () =>
          self.child ? kill(self.child, 'as the Engine answered its update') : Promise.resolve(),
      });
      const path = join(dir, `worker-${randomUUID().slice(0, 8)}.yml`);
      const text = configText(stack, [...CHAOS_SERVICES], CHAOS_POLICY);
      writeFileSync(path, text.replace(`host: "${testDockerHost()}"`, `host: "${proxy.host}"`));
      const env = { ...process.env, REDIS_URL: redisUrl };
      const child = await startChild(process.execPath, [...WORKER, path, prefix], 'ready', env);
      self.child = child;
      running.set(child, { child, proxy });
      history.note(`worker ${String(child.pid)} started`);
      return child;
    },
    kill: (child: ChildProcess) => kill(child, ''),
    /** Arms every worker's proxy: the next accepted update kills the worker that sent it. */
    armAll: () => [...running.values()].forEach((w) => w.proxy.arm()),
    disarmAll: () => [...running.values()].forEach((w) => w.proxy.disarm()),
    async stopAll(): Promise<void> {
      for (const child of [...running.keys()]) await kill(child, 'at the end');
    },
  };
}
