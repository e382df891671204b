import { describe, expect, it } from 'vitest';
import type { CommandDeps } from '../../../src/commands/command-deps.js';
import { configDirectory } from '../../../src/commands/config-directory.js';
import { logsCommand } from '../../../src/commands/logs.js';
import type { Invocation } from '../../../src/core/command.js';
import type {
  ContainerPlatform,
  ServiceState,
  TaskSummary,
} from '../../../src/core/ports/container-platform.js';
import { silentLogger } from '../../../src/core/ports/logger.js';
import type { Reply } from '../../../src/core/reply.js';
import { testConfig } from '../../fakes/test-config.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const config = testConfig();

function task(id: string, slot: number): TaskSummary {
  return {
    id,
    slot,
    state: 'running',
    desiredState: 'running',
    message: 'started',
    timestamp: NOW,
    createdAt: NOW,
  };
}

function backend(tasks: TaskSummary[]): ServiceState {
  return {
    id: 'svc1',
    name: 'backend',
    fullName: 'prod_backend',
    image: 'registry.example/backend:1.0.0',
    imageTag: '1.0.0',
    desired: tasks.length,
    running: tasks.length,
    mode: 'replicated',
    tasks,
    tty: true,
    version: 1,
  };
}

/** A TTY service's raw log, each line with Swarm's details=1 attributes naming its task. */
function platformWith(service: ServiceState, lines: [task: string, text: string][]) {
  const log = lines
    .map(
      ([taskId, text], i) =>
        `2026-12-07T11:59:${String(i).padStart(2, '0')}.000000000Z com.docker.swarm.node.id=n1,com.docker.swarm.service.id=svc1,com.docker.swarm.task.id=${taskId} ${text}\n`,
    )
    .join('');
  const platform: ContainerPlatform = {
    listServices: () => Promise.resolve([service]),
    streamLogs: () =>
      Promise.resolve({
        framing: 'raw',
        chunks: (async function* () {
          yield await Promise.resolve(Buffer.from(log));
        })(),
        close() {},
      }),
  };
  return platform;
}

async function logs(platform: ContainerPlatform, flags: Record<string, string>): Promise<Reply> {
  const deps: CommandDeps = {
    config,
    directory: configDirectory(config),
    clock: { now: () => NOW },
    platformFor: () => platform,
    checkStatus: () => Promise.reject(new Error('not used')),
  };
  const invocation: Invocation = {
    event: {
      id: 'ev1',
      platform: 'console',
      userId: 'alice',
      channelId: 'ops',
      text: 'logs',
      receivedAt: NOW,
    },
    identity: { person: 'alice', roles: new Set(['oncall']) },
    environment: 'prod',
    args: { positional: ['backend'], flags },
    log: silentLogger,
    correlationId: 'ref1',
  };
  return logsCommand(deps).run(invocation);
}

const excerptLines = (reply: Reply) =>
  reply.blocks.flatMap((b) => (b.kind === 'excerpt' ? b.lines : []));

const TWO = ['aaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbbb'];

describe('logsCommand', () => {
  describe('when the service has two replicas and nothing is of interest', () => {
    it('shows the last lines of both, each labelled with its replica', async () => {
      const platform = platformWith(backend([task(TWO[0]!, 1), task(TWO[1]!, 2)]), [
        [TWO[0]!, 'INFO tick'],
        [TWO[1]!, 'INFO tock'],
      ]);

      expect(excerptLines(await logs(platform, { tail: '50' }))).toEqual([
        'backend.1 | 2026-12-07T11:59:00.000Z INFO tick',
        'backend.2 | 2026-12-07T11:59:01.000Z INFO tock',
      ]);
    });
  });

  describe('when the service has one replica', () => {
    it('shows the lines without a label', async () => {
      const platform = platformWith(backend([task(TWO[0]!, 1)]), [[TWO[0]!, 'INFO tick']]);

      expect(excerptLines(await logs(platform, {}))).toEqual([
        '2026-12-07T11:59:00.000Z INFO tick',
      ]);
    });
  });

  describe('when a filter is given', () => {
    const lines: [string, string][] = [
      [TWO[0]!, 'INFO before'],
      [TWO[0]!, 'ERROR failed'],
      [TWO[0]!, 'INFO after'],
    ];
    const platform = () => platformWith(backend([task(TWO[0]!, 1)]), lines);

    it('shows no context unless --context asks for it', async () => {
      expect(excerptLines(await logs(platform(), { level: 'error' }))).toEqual([
        '2026-12-07T11:59:01.000Z ERROR failed',
      ]);
      expect(excerptLines(await logs(platform(), { level: 'error', context: '1' }))).toEqual([
        '2026-12-07T11:59:00.000Z INFO before',
        '2026-12-07T11:59:01.000Z ERROR failed',
        '2026-12-07T11:59:02.000Z INFO after',
      ]);
    });
  });
});
