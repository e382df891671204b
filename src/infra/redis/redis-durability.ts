import type { Redis } from 'ioredis';
import { within } from '../../lib/within.js';
import type { DurabilityCheck } from './durable-writes.js';

/** What the server says about its persistence; a field is undefined where it would not say. */
export interface PersistenceSettings {
  readonly appendonly?: string | undefined;
  readonly appendfsync?: string | undefined;
  /** The RDB snapshot schedule (`save`): '' when the server never snapshots on its own. */
  readonly save?: string | undefined;
  /** Why CONFIG GET was refused (a managed Redis often disables CONFIG). */
  readonly refused?: string | undefined;
}

/** A persistence verdict: `warning` when an acknowledged vote could be lost. */
export interface PersistenceCheck extends DurabilityCheck {
  readonly warning: boolean;
}

/**
 * What the settings mean for a vote the bot has acknowledged. With `appendonly yes` Redis
 * write(2)s the commands of an event-loop iteration to the AOF before it sends their replies,
 * so a killed Redis process loses no acknowledged write whatever `appendfsync` says (unless the
 * disk stalls an `everysec` write for over a second); only the host crashing loses what the
 * kernel had not flushed: up to a second with `everysec`, nothing with `always`. Without AOF,
 * everything since the last RDB snapshot is lost when Redis is killed.
 */
export function persistenceVerdict(settings: PersistenceSettings): PersistenceCheck {
  const { appendonly, appendfsync, save, refused } = settings;
  const unreadable = refused === undefined ? '' : ` (CONFIG GET refused: ${refused})`;
  if (appendonly === undefined)
    return {
      ok: true,
      warning: true,
      detail: `persistence settings unreadable${unreadable}: make sure the server runs with appendonly yes, or votes can be lost when Redis restarts`,
    };
  if (appendonly !== 'yes') {
    const snapshots =
      save === ''
        ? 'no RDB snapshots either: every vote'
        : 'every vote since the last RDB snapshot';
    return {
      ok: true,
      warning: true,
      detail: `appendonly no: ${snapshots} is lost when Redis is killed; set appendonly yes`,
    };
  }
  if (appendfsync === 'always')
    return {
      ok: true,
      warning: false,
      detail: 'AOF, appendfsync always: acknowledged votes survive a Redis crash and a host crash',
    };
  if (appendfsync === 'everysec')
    return {
      ok: true,
      warning: false,
      detail: `AOF, appendfsync everysec: acknowledged votes survive a Redis crash; a host crash loses up to the last second${unreadable}`,
    };
  const fsync = appendfsync ?? 'unknown';
  return {
    ok: true,
    warning: true,
    detail: `AOF, appendfsync ${fsync}${unreadable}: acknowledged votes survive a Redis crash, but a host crash can lose the last 30 seconds; set appendfsync everysec or always`,
  };
}

/**
 * Reads the server's persistence settings. CONFIG GET first; where a managed Redis refuses it,
 * `INFO persistence` still tells whether AOF is on (`aof_enabled`), not how often it syncs.
 */
export async function readPersistence(
  redis: Redis,
  timeoutMs = 1000,
): Promise<PersistenceSettings> {
  try {
    const pairs = await within(
      redis.config('GET', 'appendonly', 'appendfsync', 'save') as Promise<string[]>,
      timeoutMs,
    );
    const values = new Map<string, string>();
    for (let i = 0; i + 1 < pairs.length; i += 2) values.set(pairs[i]!, pairs[i + 1]!);
    return {
      appendonly: values.get('appendonly'),
      appendfsync: values.get('appendfsync'),
      save: values.get('save'),
    };
  } catch (error) {
    const refused = error instanceof Error ? error.message : String(error);
    // A Redis that does not answer at all is the `redis` check's business, not this one's.
    if (!/ERR|NOPERM|unknown command/i.test(refused)) throw error;
    const info = await within(redis.info('persistence'), timeoutMs);
    const enabled = /^aof_enabled:(\d)/m.exec(info)?.[1];
    return {
      ...(enabled !== undefined && { appendonly: enabled === '1' ? 'yes' : 'no' }),
      refused,
    };
  }
}

/** The server's identity, which changes each time it starts (`INFO server`'s `run_id`). */
export async function readRunId(redis: Redis, timeoutMs = 1000): Promise<string> {
  const info = await within(redis.info('server'), timeoutMs);
  const runId = /^run_id:(\w+)/m.exec(info)?.[1];
  if (runId === undefined) throw new Error('INFO server has no run_id');
  return runId;
}
