// The bot's side of the acknowledgement benchmark in a process of its own, so the Slack
// stand-in and the load it sends share no event loop with it: the app, the Slack adapter in one
// mode and, in HTTP mode, the bot's own HTTP server (src/infra/http) with /slack/events mounted.
// Prints `{"ready":true,"eventsUrl":…}` once started; on SIGTERM stops as `start` does (intake
// off, answers in flight finish) and prints `{"stopped":true}`.
// With `redisUrl` and `prefix` it claims each delivery in that Redis, as bot processes sharing
// one Redis do (the two-process benchmark); without, it keeps its claims in memory.
// Usage: node slack-bot-child.js '{"mode":"http"|"socket","apiUrl":…,"dockerHost":…,"botToken":…,"appToken":…,"signingSecret":…[,"redisUrl":…,"prefix":…]}'
import { createSlackAdapter } from '../adapters/slack/create-slack-adapter.js';
import { silentLogger } from '../src/core/ports/logger.js';
import { createApp } from '../src/app/create-app.js';
import { createHttpServer } from '../src/infra/http/create-http-server.js';
import { createReadiness } from '../src/infra/http/readiness.js';
import { benchConfigText, loadBenchConfig } from './lib/bench-config.js';

interface Input {
  readonly mode: 'http' | 'socket';
  readonly apiUrl: string;
  readonly dockerHost: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly redisUrl?: string;
  readonly prefix?: string;
}

const input = JSON.parse(process.argv[2] ?? '{}') as Input;
const { loaded, envOptions } = loadBenchConfig(
  benchConfigText({ dockerHost: input.dockerHost, slack: true }),
  {
    SLACK_BOT_TOKEN: input.botToken,
    SLACK_API_URL: input.apiUrl,
    ...(input.mode === 'socket'
      ? { SLACK_APP_TOKEN: input.appToken }
      : { SLACK_SIGNING_SECRET: input.signingSecret }),
    ...(input.redisUrl !== undefined && { REDIS_URL: input.redisUrl }),
  },
);
if (envOptions.slack === undefined) throw new Error('slack-bot-child: no Slack options');
const app = await createApp({
  loaded,
  envOptions,
  log: silentLogger,
  ...(input.prefix !== undefined && { prefix: input.prefix }),
});
const adapter = createSlackAdapter(app.host, {
  slack: envOptions.slack,
  command: 'tas',
  log: silentLogger,
});
const readiness = createReadiness([]);
const http = createHttpServer({
  readiness: () => readiness.report(),
  metrics: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
  log: silentLogger,
});
if (adapter.http !== undefined) http.mount(adapter.http);
const address = await http.listen(0, '127.0.0.1');
await adapter.start();
process.stdout.write(
  `${JSON.stringify({ ready: true, eventsUrl: `http://127.0.0.1:${address.port}${adapter.http?.path ?? ''}` })}\n`,
);

process.once('SIGTERM', () => {
  void (async () => {
    readiness.stop();
    http.drain();
    await adapter.stop();
    await app.close();
    await http.close();
    process.stdout.write(`${JSON.stringify({ stopped: true })}\n`);
    process.exit(0);
  })();
});
