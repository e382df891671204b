import { UserError } from '../../../src/core/errors.js';
import type { Reply } from '../../../src/core/reply.js';
import { requestOperation, type OperationAsk } from '../../../src/operations/request-operation.js';
import { person, type MemoryOperations } from './memory-operations.js';

/** People of the test config: alice is on call (may ask), dave and erin are leads (approve). */
export const alice = person('alice', 'oncall');
export const dave = person('dave', 'lead');
export const erin = person('erin', 'lead');
export const origin = { platform: 'slack', channelId: 'C01OPS' } as const;

/** alice asks for a restart of `service` in prod, from the ops channel. */
export function askRestart(
  ops: MemoryOperations,
  service = 'backend',
  extra: Partial<OperationAsk> = {},
): Promise<Reply> {
  return requestOperation(ops.deps, {
    environment: 'prod',
    operation: 'restart',
    target: service,
    identity: alice,
    origin,
    ...extra,
  });
}

/** The UserError `promise` rejects with; fails when it resolves or rejects with anything else. */
export async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}
