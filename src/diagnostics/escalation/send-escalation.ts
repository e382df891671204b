import type { AuditLog } from '../../audit/audit-log.js';
import type { Config, EnvironmentConfig } from '../../config/schema.js';
import type { ContainerPlatform } from '../../core/ports/container-platform.js';
import type { Notifier } from '../../core/ports/notifier.js';
import { redactReply } from '../../core/redact-reply.js';
import type { Reply } from '../../core/reply.js';
import { cut } from '../logs/format-log-line.js';
import {
  buildEscalationReport,
  type EscalationInput,
  type EscalationReportDeps,
} from './build-escalation-report.js';
import type { EscalationReport } from './escalation-report.js';
import { UNKNOWN } from './escalation-report.js';
import { escalationReply } from './escalation-reply.js';

export interface SendEscalationDeps extends Omit<EscalationReportDeps, 'platform'> {
  /** Where the environment's `env` section is read. */
  readonly config: Pick<Config, 'environments'>;
  readonly platformFor: (environment: string) => ContainerPlatform;
  /**
   * The operations notifier: from a worker process the post travels through Redis to the bot.
   * Without one (the bot runs without Redis) nothing is posted.
   */
  readonly notifier?: Notifier;
  readonly audit?: AuditLog;
}

/** What to escalate: the environment's config section is looked up from its name. */
export type SendEscalationInput = Omit<EscalationInput, 'env'>;

export interface Escalation {
  readonly report: EscalationReport;
  /** The summary with both reports attached, redacted. */
  readonly reply: Reply;
  /** Set when nothing was posted, saying why. */
  readonly notPosted?: 'no-support-channel' | 'no-notifier';
}

/** Whether the environment names a support channel on any platform. */
export function hasSupportChannel(env: EnvironmentConfig): boolean {
  return Object.values(env.channels.support ?? {}).some((id) => id !== undefined && id !== '');
}

/**
 * Builds the bundle, posts it to the environment's `support` channel and records an
 * `escalation` audit entry (posted or not, so the trail shows every attempt).
 */
export async function sendEscalation(
  deps: SendEscalationDeps,
  request: SendEscalationInput,
): Promise<Escalation> {
  const env = deps.config.environments[request.environment];
  if (env === undefined) throw new Error(`environment ${request.environment} vanished from config`);
  const input: EscalationInput = { ...request, env };
  const platform = deps.platformFor(input.environment);
  const report = await buildEscalationReport({ ...deps, platform }, input);
  const reply = redactReply(escalationReply(report), deps.redact);
  const notPosted = !hasSupportChannel(env)
    ? 'no-support-channel'
    : deps.notifier === undefined
      ? 'no-notifier'
      : undefined;
  if (notPosted === undefined) await deps.notifier?.channel(input.environment, 'support', reply);
  const posted = notPosted === undefined;
  const described =
    report.problem.description === UNKNOWN ? '' : `: ${cut(report.problem.description, 200)}`;
  await deps.audit?.append({
    kind: 'escalation',
    environment: input.environment,
    actor: input.trigger === 'watcher' ? 'system' : input.requestedBy,
    summary: `${posted ? 'escalated to support' : `escalation built, not posted (${notPosted})`} (${report.problem.verdict})${described}`,
    details: {
      reportId: report.id,
      trigger: input.trigger,
      verdict: report.problem.verdict,
      posted,
      startedAt: report.problem.startedAt,
      unknown: report.checklist.filter((item) => !item.known).map((item) => item.item),
    },
  });
  return { report, reply, ...(notPosted !== undefined && { notPosted }) };
}
