import { installLastResort } from './last-resort.js';
import { runCli } from './run-cli.js';

/**
 * The `tas-chatops` process, from its arguments to its exit code, with the process's env and
 * streams. Shared by the ESM entry (bin.ts) and the startup snapshot's (snapshot-entry.ts),
 * which find the arguments in different places of `process.argv`.
 */
export async function cliMain(args: readonly string[]): Promise<void> {
  const env = process.env;
  const lastResort = installLastResort(process, env);
  const code = await runCli(args, env, {
    // A getter: opening stdin costs a cold process a few milliseconds, and only `start` reads it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  });
  process.exitCode = lastResort.exitCode(code);
}
