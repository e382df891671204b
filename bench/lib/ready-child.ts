import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ReadyChild {
  /** The child's `{"ready":true,…}` line. */
  readonly ready: Readonly<Record<string, unknown>>;
  /** SIGTERM, SIGKILL after 60 s; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Spawns a bench child with its JSON input as the last argument and waits (60 s at most) for the
 * line `{"ready":true,…}` on its stdout; rejects with the end of its stderr when it exits first.
 */
export async function startReadyChild(
  command: { readonly command: string; readonly args: readonly string[] },
  input: object,
  label: string,
): Promise<ReadyChild> {
  const child = spawn(command.command, [...command.args, JSON.stringify(input)], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr
    .setEncoding('utf8')
    .on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit');
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${label} did not start within 60 s: ${stderr}`)),
      60_000,
    );
    lines.on('line', (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      if (message.ready === true) {
        clearTimeout(timer);
        resolve(message);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${label} exited before it was ready: ${stderr}`));
    });
  });
  return {
    ready,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
