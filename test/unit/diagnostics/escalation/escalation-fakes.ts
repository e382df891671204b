import type { Clock } from '../../../../src/core/ports/clock.js';
import type {
  ContainerPlatform,
  LogSource,
  ServiceState,
} from '../../../../src/core/ports/container-platform.js';
import type { Notifier } from '../../../../src/core/ports/notifier.js';
import type { RequestStore } from '../../../../src/core/ports/request-store.js';
import type { WatchState, WatchStateStore } from '../../../../src/core/ports/watch-state-store.js';
import type { Reply } from '../../../../src/core/reply.js';
import type { OperationRequest } from '../../../../src/core/requests/operation-request.js';

export const NOW = new Date('2026-12-01T08:30:00Z');
export const fixedClock: Clock = { now: () => NOW };

/** The credential-bearing lines of the fixture backend (test/fixtures/stack/bin/backend.sh). */
export const SECRET_LINES = [
  '{"level":40,"time":1764577000000,"msg":"login failed for user=admin password=hunter2secret"}',
  '{"level":30,"time":1764577000100,"msg":"proxy request GET /api/dms headers Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMifQ.abcDEF123_-x"}',
  '{"level":50,"time":1764577000200,"msg":"database connection error: postgres://tas:S3cretPass@db:5432/tas unreachable"}',
  '{"level":30,"time":1764577000300,"msg":"slack notifier configured with token xoxb-123456789012-123456789012-abcdefABCDEFabcdef"}',
  '{"level":40,"time":1764577000400,"msg":"case comment from jnovak: <!channel> @everyone <@U123ABC> please look at this"}',
];

/** Every secret above, as it must never appear in a report. */
export const SECRETS = [
  'hunter2secret',
  'S3cretPass',
  'xoxb-123456789012',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'abcDEF123_-x',
];

export const refused = (n: number) =>
  `{"level":50,"time":${1764577001000 + n},"msg":"connect ECONNREFUSED 127.0.0.1:5432","attempt":${n}}`;

/** A raw (TTY-style) log source over the given lines. */
export function logSource(lines: readonly string[]): LogSource {
  const bytes = new TextEncoder().encode(lines.map((line) => `${line}\n`).join(''));
  return {
    framing: 'raw',
    chunks: (async function* () {
      await Promise.resolve();
      yield bytes;
    })(),
    close: () => undefined,
  };
}

/** A platform whose services are `listing` and whose logs are `logs[name]` (an Error to fail). */
export function fakeLogPlatform(
  listing: readonly ServiceState[],
  logs: Readonly<Record<string, readonly string[] | Error>>,
): ContainerPlatform & { read: string[] } {
  const read: string[] = [];
  return {
    read,
    listServices: () => Promise.resolve(listing),
    streamLogs(service) {
      read.push(service.name);
      const lines = logs[service.name] ?? [];
      return lines instanceof Error ? Promise.reject(lines) : Promise.resolve(logSource(lines));
    },
  };
}

/** A RequestStore whose only use here is `open`. */
export function openRequests(requests: readonly OperationRequest[] | Error): RequestStore {
  const unused = () => Promise.reject(new Error('not used by escalation'));
  return {
    open: () =>
      requests instanceof Error ? Promise.reject(requests) : Promise.resolve([...requests]),
    create: unused,
    get: unused,
    update: unused,
    createClaimed: unused,
    claimHolder: unused,
    claims: unused,
    releaseClaim: unused,
    countExecution: unused,
    executions: unused,
    saveReplicas: unused,
    savedReplicas: unused,
  };
}

export function pendingRestart(overrides: Partial<OperationRequest> = {}): OperationRequest {
  return {
    id: 'r0a1b2c',
    environment: 'prod',
    operation: 'restart',
    target: 'backend',
    steps: [],
    requester: 'bob',
    breakGlass: false,
    createdAt: '2026-12-01T08:25:00.000Z',
    expiresAt: '2026-12-01T08:40:00.000Z',
    state: 'pending',
    required: 1,
    approverRoles: ['lead'],
    approvals: [],
    origin: { platform: 'slack', channelId: 'C01OPS' },
    ...overrides,
  };
}

/** A Notifier that keeps what it is asked to post to channels. */
export function recordingNotifier(): Notifier & {
  posts: { environment: string; channel: string; reply: Reply }[];
} {
  const posts: { environment: string; channel: string; reply: Reply }[] = [];
  return {
    posts,
    card: () => Promise.resolve(),
    thread: () => Promise.resolve(),
    channel(environment, channel, reply) {
      posts.push({ environment, channel, reply });
      return Promise.resolve();
    },
  };
}

/** The WatchStateStore port in memory: `update` runs its change synchronously, so it is atomic. */
export function inMemoryWatchStore(
  initial: Record<string, WatchState> = {},
): WatchStateStore & { states: Map<string, WatchState> } {
  const states = new Map(Object.entries(initial));
  return {
    states,
    get: (environment) => Promise.resolve(states.get(environment)),
    update(environment, change) {
      const next = change(states.get(environment));
      if (next === undefined) return Promise.resolve(undefined);
      states.set(environment, structuredClone(next.state));
      return Promise.resolve(next.result);
    },
  };
}
