import { createServer, type Server, type Socket } from 'node:net';
import type Docker from 'dockerode';
import { createDiscordAdapter } from '../../adapters/discord/create-discord-adapter.js';
import { readEnvOptions } from '../../src/config/env-options.js';
import { parseConfig } from '../../src/config/load-config.js';
import { captureLogger } from '../fakes/capture-logger.js';
import { startAdapterCore } from './adapter-core.js';
import {
  connectTestSwarm,
  serviceFactory,
  testDockerHost,
  uniqueStack,
} from '../integration/docker/test-swarm.js';
import {
  startDiscordStandIn,
  type DiscordStandIn,
  type Member,
} from '../stand-ins/discord/discord-stand-in.js';
import { fixtureServices, infraEnv } from './infra.js';

/** People of the harness config, by name: their Discord user ids. */
const PEOPLE = {
  alice: '100000000000000001',
  bob: '100000000000000002',
  dave: '100000000000000004',
  lee: '100000000000000005',
  mallory: '100000000000000007',
} as const;
export type Person = keyof typeof PEOPLE;

const WORDS =
  'alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu amber bronze cedar dune ember fjord glacier harbor iris jade'.split(
    ' ',
  );

/**
 * `chatty`: 36 different error lines (no two collapse), each with mention syntax and a
 * password, so its excerpt is always longer than a message and travels as a file.
 */
const CHATTY = `trap "exit 0" TERM; for w in ${WORDS.join(' ')}; do echo "ERROR $w subsystem failed for <@123456789012345678> @everyone @here password=hunter2secret"; done; while true; do sleep 1; done`;

/** A TCP port that accepts connections and never answers: a Docker that hangs. */
async function silentDocker(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('silent Docker has no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function configText(o: {
  stack: string;
  services: readonly string[];
  channels: Record<string, string>;
  leadRole: string;
  silentPort: number;
}): string {
  return `
command: tas
people:
${Object.entries(PEOPLE)
  .map(([name, id]) => `  ${name}: { discord: "${id}" }`)
  .join('\n')}
roles:
  oncall: [alice, bob, lee]
  lead: [dave]
platformRoles:
  discord: { "${o.leadRole}": lead }
environments:
  ops:
    platform: swarm
    stack: ${o.stack}
    docker: { host: "${testDockerHost()}" }
    services: [${o.services.join(', ')}]
    channels: { ops: { discord: "${o.channels.ops}" } }
    policy:
      read: [oncall, lead]
      restart: { request: [oncall, lead], approve: [lead], approvals: 1, expires: 15m }
  fixture:
    platform: swarm
    stack: tasfix
    docker: { host: "${testDockerHost()}" }
    services: [${fixtureServices.join(', ')}]
    probes:
      - { name: liveness, url: "http://127.0.0.1:18081/cgi-bin/liveness", expect: { json: { status: OK } } }
      - { name: readiness, url: "http://127.0.0.1:18081/cgi-bin/readiness" }
    channels: { ops: { discord: "${o.channels.fixture}" } }
    policy:
      read: [oncall, lead]
  slow:
    platform: swarm
    stack: slow
    docker: { host: "tcp://127.0.0.1:${o.silentPort}", timeout: 4s }
    services: [backend]
    channels: { ops: { discord: "${o.channels.slow}" } }
    policy:
      read: [oncall, lead]
`;
}

/**
 * The whole bot against the Discord stand-in: the real discord.js client, the real core
 * (createApp, as ops-harness.ts builds it) on the real swarm and Redis, with a stack and a
 * Redis prefix of its own. Channels: `ops` (the test stack), `fixture` (the tasfix stack),
 * `slow` (a Docker that never answers). Dave is a lead in config; Lee becomes one only
 * through the Discord role mapped in `platformRoles.discord`.
 */
export async function startDiscordHarness(
  options: { services?: Readonly<Record<string, number>> } = {},
) {
  const standIn: DiscordStandIn = await startDiscordStandIn({
    channels: ['ops', 'fixture', 'slow'],
    roles: ['lead', 'support'],
    heartbeatIntervalMs: 1500,
  });
  const silent = await silentDocker();
  const docker: Docker = await connectTestSwarm();
  const stack = uniqueStack();
  const services = options.services ?? { backend: 1, frontend: 1, chatty: 1 };
  const factory = serviceFactory(docker);
  for (const [name, replicas] of Object.entries(services)) {
    const script =
      name === 'chatty'
        ? CHATTY
        : `trap "exit 0" TERM; echo "${name} up"; while true; do sleep 1; done`;
    await factory.create(`${stack}_${name}`, { replicas, script });
  }
  // Under load the task may start after the first test asks for its logs.
  if ('chatty' in services)
    await factory.untilLogged(`${stack}_chatty`, `ERROR ${WORDS.at(-1)} subsystem`);
  const channels = {
    ops: standIn.channelId('ops'),
    fixture: standIn.channelId('fixture'),
    slow: standIn.channelId('slow'),
  };
  const text = configText({
    stack,
    services: Object.keys(services),
    channels,
    leadRole: standIn.roleId('lead'),
    silentPort: silent.port,
  });
  const loaded = parseConfig(text, {});
  if (!loaded.ok) throw new Error(`discord harness config: ${JSON.stringify(loaded.error)}`);
  const redisUrl = process.env.REDIS_URL ?? infraEnv().redisUrl;
  const envOptions = readEnvOptions({ REDIS_URL: redisUrl });
  if (!envOptions.ok) throw new Error(`discord harness env: ${JSON.stringify(envOptions.error)}`);
  const { log, entries } = captureLogger();

  const core = await startAdapterCore({
    loaded: loaded.value,
    envOptions: envOptions.value,
    log,
  });
  const adapter = createDiscordAdapter(core.host, {
    discord: {
      token: standIn.token,
      applicationId: standIn.applicationId,
      apiUrl: standIn.apiUrl,
      guildId: standIn.guildId,
    },
    command: loaded.value.config.command,
    commands: core.commands,
    log,
  });
  await adapter.start();
  core.startWorkers();
  core.startDelivery([adapter]);

  const member = (person: Person, roles: readonly string[] = []): Member => ({
    id: PEOPLE[person],
    username: person,
    roles,
  });

  return {
    standIn,
    core,
    adapter,
    docker,
    stack,
    channels,
    logs: entries,
    member,
    /** Lee holds the Discord role that config maps to `lead`. */
    leadRole: standIn.roleId('lead'),
    async close() {
      await adapter.stop();
      await core.close();
      await standIn.close();
      await silent.close();
      await factory.removeAll();
    },
  };
}

export type DiscordHarness = Awaited<ReturnType<typeof startDiscordHarness>>;
