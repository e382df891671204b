#!/usr/bin/env node
// The process entry: with cli-main.ts, the only place that reads `process.env` and `process.argv`.
// `npm run bundle` puts a launcher above this file's code in dist (build-cli-snapshot.ts).
import { cliMain } from './cli-main.js';

await cliMain(process.argv.slice(2));
