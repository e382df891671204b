// A private redis-server for the chaos suite, configured as the bot's documented minimum
// (AOF on, fsync every second): a SIGKILL may lose the last second of acknowledged writes, and
// that is exactly what the suite means to provoke. Started, killed and started again by our
// own pid, on the same data directory, so the restart replays the append-only file.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, stopChild } from './child-process.js';
import { freePort } from './free-port.js';

function startServer(dir: string, port: number): Promise<ChildProcess> {
  return startChild(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
      ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
      ...['--maxmemory-policy', 'noeviction'],
    ],
    'Ready to accept connections',
  );
}

/** The append-only file Redis 7 writes to now: the incremental file with the highest number. */
function currentAof(dir: string): string | undefined {
  const files = readdirSync(join(dir, 'appendonlydir'))
    .filter((name) => name.endsWith('.incr.aof'))
    .sort((a, b) => Number(/\.(\d+)\.incr/.exec(a)?.[1]) - Number(/\.(\d+)\.incr/.exec(b)?.[1]));
  const newest = files.at(-1);
  return newest === undefined ? undefined : join(dir, 'appendonlydir', newest);
}

/**
 * The AOF's size every 10 ms for the last 3 s. Redis writes the file before it answers, so a
 * size seen at an instant holds every write acknowledged before it; truncating to it loses what
 * came later, as a host crash would under `appendfsync everysec` (the page cache not yet synced).
 */
function aofSizes(dir: string) {
  const samples: { at: number; file: string; size: number }[] = [];
  const timer = setInterval(() => {
    try {
      const file = currentAof(dir);
      if (file !== undefined) samples.push({ at: Date.now(), file, size: statSync(file).size });
    } catch {
      // Between a kill and the restart the file may be replaced: the next sample sees it.
    }
    while ((samples[0]?.at ?? Infinity) < Date.now() - 3000) samples.shift();
  }, 10);
  timer.unref();
  return {
    /** The first size seen at or after `at`: it holds everything acknowledged before `at`. */
    after: (at: number) => samples.find((s) => s.at >= at),
    stop: () => clearInterval(timer),
  };
}

export async function startChaosRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'tas-chaos-redis-'));
  const port = await freePort();
  let server: ChildProcess | undefined = await startServer(dir, port);
  const sizes = aofSizes(dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    /**
     * SIGKILL: no shutdown, no final fsync. With `lostMs`, the AOF then loses what was
     * written in the last `lostMs` before the kill (a host crash); resolves with the bytes lost.
     */
    async kill(lostMs = 0): Promise<number> {
      if (server === undefined) return 0;
      const killedAt = Date.now();
      await stopChild(server, 'SIGKILL');
      server = undefined;
      const kept = lostMs > 0 ? sizes.after(killedAt - lostMs) : undefined;
      if (kept === undefined) return 0;
      const lost = statSync(kept.file).size - kept.size;
      if (lost > 0) truncateSync(kept.file, kept.size);
      return Math.max(0, lost);
    },
    /** Starts it again on the same port and data directory (a no-op while it runs). */
    async restart(): Promise<void> {
      if (server !== undefined) return;
      server = await startServer(dir, port);
    },
    async close(): Promise<void> {
      sizes.stop();
      if (server !== undefined) await stopChild(server);
      server = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ChaosRedis = Awaited<ReturnType<typeof startChaosRedis>>;
