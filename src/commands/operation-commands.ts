import type { Command, Invocation } from '../core/command.js';
import { DependencyError } from '../core/errors.js';
import { usageError } from '../core/middleware/resolve-command.js';
import type { Reply } from '../core/reply.js';
import { cancelRequest, decideRequest } from '../operations/decide-request.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import type { OperationKind } from '../core/requests/operation-request.js';
import { requestOperation } from '../operations/request-operation.js';
import type { CommandDeps } from './command-deps.js';
import { readReplicas } from './read-replicas.js';

interface OperationSpec {
  readonly name: OperationKind;
  readonly usage: string;
  readonly summary: string;
  /** Whether `all` may stand for the service (stop/start, in runbook order). */
  readonly all?: boolean;
  /** Reads the extra positional arguments (replicas, image). */
  readonly extra: (rest: readonly string[]) => { replicas?: number; image?: string } | string;
}

const none = (rest: readonly string[]) => (rest.length ? `unexpected "${rest.join(' ')}"` : {});

const SPECS: readonly OperationSpec[] = [
  {
    name: 'restart',
    usage: 'restart <service> [--break-glass REASON]',
    summary: 'force update: new tasks, same spec; then verified',
    extra: none,
  },
  {
    name: 'scale',
    usage: 'scale <service> <replicas> [--break-glass REASON]',
    summary: 'set the replica count; then verified',
    extra: ([n, ...more]) => {
      if (n === undefined) return 'how many replicas? e.g. `scale backend 3`';
      const replicas = readReplicas(n);
      if (!replicas.ok) return replicas.error;
      return more.length ? `unexpected "${more.join(' ')}"` : { replicas: replicas.value };
    },
  },
  {
    name: 'stop',
    usage: 'stop <service|all> [--break-glass REASON]',
    summary: 'scale to 0, remembering the replicas (all: runbook order)',
    all: true,
    extra: none,
  },
  {
    name: 'start',
    usage: 'start <service|all> [--break-glass REASON]',
    summary: 'restore the replicas recorded at stop (all: reverse runbook order)',
    all: true,
    extra: none,
  },
  {
    name: 'rollback',
    usage: 'rollback <service> [image] [--break-glass REASON]',
    summary: 'back to the previous image, or to another tag, digest or allowed image',
    extra: ([image, ...more]) =>
      more.length ? `unexpected "${more.join(' ')}"` : image === undefined ? {} : { image },
  },
];

/** Operations need Redis (durable approvals); without it the answer says so instead of failing later. */
function needOperations(deps: CommandDeps): OperationDeps {
  if (deps.operations === undefined) {
    throw new DependencyError(
      'redis',
      'Privileged operations keep their approvals in Redis, and none is configured: set REDIS_URL.',
    );
  }
  return deps.operations;
}

function origin(invocation: Invocation) {
  const { event } = invocation;
  return {
    platform: event.platform,
    channelId: event.channelId,
    ...(event.threadId !== undefined && { threadId: event.threadId }),
  };
}

function operationCommand(deps: CommandDeps, spec: OperationSpec): Command {
  const slash = `/${deps.config.command}`;
  const command: Command = {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    flags: [{ name: 'break-glass', type: 'string' }],
    permission: spec.name,
    privileged: true,
    async run(invocation): Promise<Reply> {
      const operations = needOperations(deps);
      const [target, ...rest] = invocation.args.positional;
      if (target === undefined) throw usageError(slash, command, 'which service? name one');
      const extra = spec.extra(rest);
      if (typeof extra === 'string') throw usageError(slash, command, extra);
      if (target === 'all' && !spec.all)
        throw usageError(slash, command, `${spec.name} works on one service at a time`);
      const breakGlass = invocation.args.flags['break-glass'];
      if (breakGlass === true) throw usageError(slash, command, '--break-glass needs a reason');
      return requestOperation(operations, {
        environment: invocation.environment,
        operation: spec.name,
        // Resolved in requestOperation, from the one listing the card is planned from.
        target,
        ...extra,
        identity: invocation.identity,
        origin: origin(invocation),
        ...(typeof breakGlass === 'string' && { breakGlass: { reason: breakGlass } }),
      });
    },
  };
  return command;
}

function decisionCommand(deps: CommandDeps, verb: 'approve' | 'reject'): Command {
  const slash = `/${deps.config.command}`;
  const command: Command = {
    name: verb,
    summary:
      verb === 'approve'
        ? 'approve a pending request (same as the button)'
        : 'reject a pending request, with a reason',
    usage: verb === 'approve' ? 'approve <id>' : 'reject <id> [reason]',
    flags: [],
    // The request's own policy decides who may vote; the vote itself checks it, so the
    // middleware lets every known person through to get a precise answer.
    permission: 'public',
    needsEnvironment: false,
    run(invocation) {
      const operations = needOperations(deps);
      const [id, ...reason] = invocation.args.positional;
      if (id === undefined)
        throw usageError(slash, command, 'which request? `/tas jobs` lists them');
      if (verb === 'approve' && reason.length)
        throw usageError(slash, command, `unexpected "${reason.join(' ')}"`);
      return decideRequest(
        operations,
        id,
        invocation.identity,
        verb,
        reason.join(' ') || undefined,
      );
    },
  };
  return command;
}

function cancelCommand(deps: CommandDeps): Command {
  const command: Command = {
    name: 'cancel',
    summary: 'cancel a request that has not started (requester or approver)',
    usage: 'cancel <id>',
    flags: [],
    permission: 'public',
    needsEnvironment: false,
    run(invocation) {
      const [id, ...more] = invocation.args.positional;
      if (id === undefined || more.length)
        throw usageError(`/${deps.config.command}`, command, 'name one request id');
      return cancelRequest(needOperations(deps), id, invocation.identity);
    },
  };
  return command;
}

function jobsCommand(deps: CommandDeps): Command {
  return {
    name: 'jobs',
    summary: 'pending approvals and running operations',
    usage: 'jobs',
    flags: [],
    permission: 'read',
    async run({ environment }) {
      const open = await needOperations(deps).store.open(environment);
      if (open.length === 0)
        return {
          title: `No pending or running operations in ${environment}.`,
          blocks: [],
          data: { requests: [] },
        };
      return {
        title: `${open.length} open operation${open.length === 1 ? '' : 's'} in ${environment}`,
        blocks: [
          {
            kind: 'rows',
            rows: open.map((r) => ({
              label: r.id,
              value: `${r.operation} ${r.target} by ${r.requester}: ${r.state}${r.state === 'pending' ? ` (${r.approvals.length}/${r.required}, expires ${r.expiresAt.slice(11, 16)} UTC)` : ''}`,
              tone: r.state === 'pending' ? ('warn' as const) : ('info' as const),
            })),
          },
        ],
        data: { requests: open },
      };
    },
  };
}

/** Every privileged command plus the ones that decide on and list requests. */
export function operationCommands(deps: CommandDeps): Command[] {
  return [
    ...SPECS.map((spec) => operationCommand(deps, spec)),
    decisionCommand(deps, 'approve'),
    decisionCommand(deps, 'reject'),
    cancelCommand(deps),
    jobsCommand(deps),
  ];
}
