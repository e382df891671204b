// A worker in a process of its own (`tas-chatops worker` as the tests need it: a given config
// text, Redis prefix and short timings), so a test can SIGKILL it mid-operation.
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config/load-config.js';
import { readEnvOptions } from '../../src/config/env-options.js';
import { createApp } from '../../src/app/create-app.js';
import { silentLogger } from '../../src/core/ports/logger.js';

const [configPath = '', prefix = ''] = process.argv.slice(2);
const loaded = parseConfig(readFileSync(configPath, 'utf8'), {});
const envOptions = readEnvOptions({ REDIS_URL: process.env.REDIS_URL });
if (!loaded.ok || !envOptions.ok) throw new Error('worker-process: bad config');
const app = await createApp({
  loaded: loaded.value,
  envOptions: envOptions.value,
  log: silentLogger,
  prefix,
  timings: { convergeTimeoutMs: 90_000, settleMs: 1500, pollMs: 250 },
  lockDurationMs: 3000,
});
app.startWorkers();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
