import type { Redis } from 'ioredis';
import type { Logger } from '../../core/ports/logger.js';
import { within } from '../../lib/within.js';

/** How many replicas must hold a write, and how long one write waits for them. */
export interface ReplicaWait {
  readonly replicas: number;
  readonly timeoutMs: number;
}

/** One readiness answer. */
export interface DurabilityCheck {
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Writes that must survive a failover (votes, request state, audit entries) are followed by
 * `WAIT`: Redis replicates asynchronously, so a primary killed right after answering takes the
 * write with it unless a replica acknowledged it first. A short acknowledgement is not an
 * error for the command (the write is on the primary and usually reaches the replica a moment
 * later); readiness reports it until replicas acknowledge again.
 */
export interface Durability {
  readonly wait: ReplicaWait;
  /** WAIT for the writes this connection sent so far. */
  confirm(): Promise<void>;
  /** Reads the primary's replication state (online replicas, acknowledgement lag). */
  probe(): Promise<void>;
  check(): DurabilityCheck;
}

/** Seconds since a replica's last acknowledgement (REPLCONF ACK, sent every second) still fresh. */
const MAX_LAG_S = 2;

interface State {
  readonly redis: Redis;
  readonly wait: ReplicaWait;
  readonly log: Logger;
  /** The last WAIT after a write, when it fell short. */
  shortWrite?: string | undefined;
  /** What the last probe saw; undefined before the first one. */
  probed?: DurabilityCheck | undefined;
}

export function createDurability(redis: Redis, wait: ReplicaWait, log: Logger): Durability {
  const state: State = { redis, wait, log };
  return {
    wait,
    confirm: () => confirm(state),
    probe: () => probe(state),
    check: () => check(state),
  };
}

async function confirm(state: State): Promise<void> {
  const { replicas, timeoutMs } = state.wait;
  const acknowledged = await state.redis.wait(replicas, timeoutMs);
  if (acknowledged >= replicas) {
    state.shortWrite = undefined;
    return;
  }
  state.shortWrite = `a write reached ${acknowledged} of ${replicas} replicas within ${timeoutMs} ms`;
  state.log.warn({ acknowledged, replicas, timeoutMs }, 'write not acknowledged by replicas');
}

async function probe(state: State): Promise<void> {
  try {
    const info = await within(state.redis.info('replication'), state.wait.timeoutMs + 1000);
    const online = onlineReplicas(info);
    const { replicas } = state.wait;
    state.probed =
      online >= replicas
        ? { ok: true, detail: `${online} replica(s) acknowledging (${replicas} required)` }
        : { ok: false, detail: `${online} of ${replicas} required replicas acknowledging` };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    state.probed = { ok: false, detail: `replication state unreadable (${why})` };
  }
}

/** Replicas the primary lists as online with a fresh acknowledgement (`slaveN:…,state=online,…,lag=0`). */
export function onlineReplicas(info: string): number {
  if (!/^role:master\r?$/m.test(info)) return 0;
  return info
    .split(/\r?\n/)
    .filter((line) => /^slave\d+:/.test(line))
    .filter((line) => {
      const fields = new Map(
        line
          .slice(line.indexOf(':') + 1)
          .split(',')
          .map((pair) => pair.split('=') as [string, string]),
      );
      return fields.get('state') === 'online' && Number(fields.get('lag') ?? '99') <= MAX_LAG_S;
    }).length;
}

function check(state: State): DurabilityCheck {
  if (state.probed === undefined) return { ok: false, detail: 'not checked yet' };
  if (!state.probed.ok) return state.probed;
  if (state.shortWrite !== undefined) return { ok: false, detail: state.shortWrite };
  return state.probed;
}

/**
 * `port` with `confirm` run after each of `methods` succeeds, so its caller hears back only once
 * the write is on the replicas (or the wait ran out); `port` itself without a durability.
 */
export function durableWrites<T extends object>(
  port: T,
  methods: readonly (keyof T & string)[],
  durability: Durability | undefined,
): T {
  if (durability === undefined) return port;
  const durable = new Set<string | symbol>(methods);
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !durable.has(property)) return value;
      return async (...args: unknown[]) => {
        const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
        await durability.confirm();
        return result;
      };
    },
  });
}
