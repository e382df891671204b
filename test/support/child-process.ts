import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Starts a child and resolves once it prints `marker` on stdout; fails loudly if it exits first. */
export async function startChild(
  command: string,
  args: readonly string[],
  marker: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChildProcess> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      reject(new Error(`${command} exited (${String(code)}) before "${marker}": ${output}`)),
    );
  });
  return child;
}

/** Ends a child we started, by its pid, and waits for it. */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** A private redis-server (AOF, fsync always, noeviction) this test may kill and restart. */
export function startRedis(dir: string, port: number): Promise<ChildProcess> {
  return startChild(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    'Ready to accept connections',
  );
}
