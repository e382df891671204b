import type { AuditKind } from '../audit/audit-entry.js';
import type { AuditLog } from '../audit/audit-log.js';
import { auditReply } from '../audit/audit-reply.js';
import { groupOperations } from '../audit/group-operations.js';
import type { Command } from '../core/command.js';
import { usageError } from '../core/middleware/resolve-command.js';
import { err, ok, type Result } from '../core/result.js';

export interface AuditCommandDeps {
  readonly audit: AuditLog;
  /** For usage errors; `/tas` unless the config names the command otherwise. */
  readonly slash?: string;
}

const DEFAULT_COUNT = 10;
const MAX_COUNT = 50;
/** Progress lines and escalations say nothing about who asked, who approved and how it ended. */
const KINDS: readonly AuditKind[] = [
  'request',
  'break-glass',
  'vote',
  'reject',
  'expire',
  'cancel',
  'drift',
  'start',
  'result',
  'verification',
];
// An operation writes a handful of these (request, a vote or two, start, result, verification),
// so this many newest entries hold the newest n operations whole.
const ENTRIES_PER_OPERATION = 20;

/** `audit [n]`: the last n privileged operations of the environment, who asked, who approved, how it went. */
export function auditCommand(deps: AuditCommandDeps): Command {
  const command: Command = {
    name: 'audit',
    summary: 'the last privileged operations: who asked, who approved, how it went',
    usage: 'audit [n]',
    flags: [],
    permission: 'read',
    async run({ args, environment, event }) {
      const count = readCount(args.positional);
      if (!count.ok) throw usageError(deps.slash ?? '/tas', command, count.error);
      const entries = await deps.audit.recent(count.value * ENTRIES_PER_OPERATION, {
        environment,
        kinds: KINDS,
      });
      return auditReply(
        environment,
        groupOperations(entries).slice(0, count.value),
        event.receivedAt,
      );
    },
  };
  return command;
}

function readCount(positional: readonly string[]): Result<number> {
  const [text, ...extra] = positional;
  if (extra.length > 0) return err(`unexpected "${extra.join(' ')}"`);
  if (text === undefined) return ok(DEFAULT_COUNT);
  const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_COUNT))
    return err(
      `n is how many operations to show, a whole number from 1 to ${MAX_COUNT}, not "${text}"`,
    );
  return ok(n);
}
