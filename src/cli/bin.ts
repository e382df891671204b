#!/usr/bin/env node
// The process entry: the only place that reads `process.env` and `process.argv`.
import { installLastResort } from './last-resort.js';
import { runCli } from './run-cli.js';

const env = process.env;
const lastResort = installLastResort(process, env);
const code = await runCli(process.argv.slice(2), env, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exitCode = lastResort.exitCode(code);
