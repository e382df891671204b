import type { AuditLog } from '../audit/audit-log.js';
import type { Config } from '../config/schema.js';
import type { Command } from '../core/command.js';
import type { Clock } from '../core/ports/clock.js';
import type { ContainerPlatform } from '../core/ports/container-platform.js';
import type { Notifier } from '../core/ports/notifier.js';
import type { RequestStore } from '../core/ports/request-store.js';
import type { WatchStateStore } from '../core/ports/watch-state-store.js';
import type { Reply } from '../core/reply.js';
import { sendEscalation, type Escalation } from '../diagnostics/escalation/send-escalation.js';
import type { StatusSnapshot } from '../diagnostics/status/check-status.js';
import type { Redactor } from '../lib/redact.js';
import { stringFlags } from './string-flags.js';

export interface EscalateCommandDeps {
  readonly config: Config;
  readonly clock: Clock;
  /** A fresh check (coalesced with any in flight). */
  readonly checkStatus: (environment: string) => Promise<StatusSnapshot>;
  readonly platformFor: (environment: string) => ContainerPlatform;
  /** The operations notifier; without one (no Redis) the bundle comes back as attachments. */
  readonly notifier?: Notifier;
  readonly audit?: AuditLog;
  readonly requests?: RequestStore;
  /** Where the watcher keeps when the problem started. */
  readonly watchState?: WatchStateStore;
  /** `redactorFor(loaded, envOptions)`: credential shapes plus every configured secret. */
  readonly redact: Redactor;
  readonly newId?: () => string;
}

const USAGE = 'escalate [text] [--steps TEXT] [--user NAME] [--case ID]';

/**
 * `escalate [text]`: builds the bundle TAS support asks for (docs/runbooks/tas-escalation.md),
 * posts it to the environment's support channel and answers here with the same summary.
 * Anyone granted `escalate` (else `read`) may.
 */
export function escalateCommand(deps: EscalateCommandDeps): Command {
  return {
    name: 'escalate',
    summary: 'post an escalation bundle (status, probes, logs, recent changes) to support',
    usage: USAGE,
    flags: stringFlags('steps', 'user', 'case'),
    permission: 'escalate',
    async run({ args, environment, identity }) {
      const flag = (name: string) =>
        typeof args.flags[name] === 'string' ? args.flags[name] : undefined;
      const [snapshot, watch] = await Promise.all([
        deps.checkStatus(environment),
        deps.watchState?.get(environment),
      ]);
      const steps = flag('steps');
      const user = flag('user');
      const caseId = flag('case');
      const escalation = await sendEscalation(deps, {
        environment,
        snapshot,
        trigger: 'command',
        requestedBy: identity.person,
        description: args.positional.join(' '),
        ...(steps !== undefined && { stepsToReproduce: steps }),
        ...(user !== undefined && { affectedUser: user }),
        ...(caseId !== undefined && { caseId }),
        ...(watch !== undefined && { watch }),
      });
      return notice(escalation, environment);
    },
  };
}

/** The answer in the requesting channel: what support got, or the bundle itself when it could not go. */
function notice(escalation: Escalation, environment: string): Reply {
  const { reply, report, notPosted } = escalation;
  if (notPosted === undefined) {
    return {
      title: `Escalated ${environment} to support: ${report.problem.verdict} (report ${report.id})`,
      verdict: report.problem.verdict,
      blocks: [
        {
          kind: 'text',
          text: 'Posted to the support channel with the full report attached. This is what they see:',
        },
        ...reply.blocks,
      ],
      ...(reply.data !== undefined && { data: reply.data }),
    };
  }
  const why =
    notPosted === 'no-support-channel'
      ? `${environment} has no support channel in the config (channels.support), so nothing was posted.`
      : 'The bot runs without Redis, so it cannot post to other channels.';
  return {
    ...reply,
    title: `Not escalated: ${why}`,
    blocks: [
      { kind: 'text', text: 'The report is attached: forward it to support by hand.' },
      ...reply.blocks,
    ],
  };
}
